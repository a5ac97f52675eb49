using Manifold.Host.Admin;

namespace Manifold.Host.AdminConsole;

/// <summary>
/// The web console at <c>/admin</c>: its session endpoints and its files. Every path under <c>/admin</c> that is not a
/// file (a deep link such as <c>/admin/licences</c>) gets the app's shell, whose script shows that page. Mapped with the
/// admin API, so it is off (404) whenever the API is.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string Root = "/admin";

    public static IServiceCollection AddManifoldConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ConsoleAssets>();
        return services;
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ConsoleSessionEndpoints.Map(endpoints, Root + "/session");
        endpoints.MapGet(Root, ServeShell).ExcludeFromDescription();
        endpoints.MapGet(Root + "/{**path}", ServePath).ExcludeFromDescription();
    }

    private static IResult ServeShell(HttpContext http, ConsoleAssets assets) =>
        // /admin (no slash) → /admin/, so the page's relative links resolve under it.
        http.Request.Path.Value!.EndsWith('/') ? Shell(http, assets) : Results.Redirect(http.Request.PathBase + Root + "/");

    private static IResult ServePath(string? path, HttpContext http, ConsoleAssets assets)
    {
        path ??= "";
        // The API's unknown paths stay JSON 404s: a typo in a script must not get a page of HTML with 200.
        if (path == "api" || path.StartsWith("api/", StringComparison.Ordinal))
        {
            return AdminErrors.NotFound($"Unknown admin API path '{http.Request.Path}'.");
        }
        if (assets.TryGet(path, out var asset))
        {
            return ConsoleAssets.Serve(http, asset);
        }
        // A file name that is not one of ours is a 404, not the shell (a browser would try to run HTML as a script).
        return Path.HasExtension(path) ? Results.NotFound() : Shell(http, assets);
    }

    private static IResult Shell(HttpContext http, ConsoleAssets assets) =>
        assets.TryGet(ConsoleAssets.Shell, out var shell) ? ConsoleAssets.Serve(http, shell) : Results.NotFound();
}
