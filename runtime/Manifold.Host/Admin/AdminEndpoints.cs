using Manifold.Host.AdminConsole;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Admin;

/// <summary>
/// The operator's API under <c>/admin/api</c>, behind <see cref="AdminKeyFilter"/>. Mapped only when
/// <c>Manifold__Admin__Key</c> is set; otherwise its paths are unknown (404) and startup says how to turn it on.
/// </summary>
public static partial class AdminEndpoints
{
    public const string Prefix = "/admin/api";

    public static IServiceCollection AddManifoldAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName));
        services.AddManifoldConsole();
        services.AddSingleton<Metering.RequestSeries>();
        return services;
    }

    public static IEndpointRouteBuilder MapManifoldAdmin(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Manifold.Admin");
        if (!options.Enabled)
        {
            LogOff(logger);
            return endpoints;
        }
        var api = endpoints.MapGroup(Prefix).AddEndpointFilter<AdminKeyFilter>();
        AdminLicenceEndpoints.Map(api);
        AdminUsageEndpoints.Map(api);
        AdminPriceEndpoints.Map(api);
        AdminTaskEndpoints.Map(api);
        AdminPlatformEndpoints.Map(api);
        AdminStatsEndpoints.Map(api);
        ConsoleEndpoints.Map(endpoints);
        LogOn(logger, Prefix);
        LogConsole(logger, ConsoleEndpoints.Root);
        return endpoints;
    }

    [LoggerMessage(1, LogLevel.Information, "Admin API and console are off: set Manifold__Admin__Key to turn them on")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Admin API on at {Prefix} (Authorization: Bearer <Manifold__Admin__Key>)")]
    private static partial void LogOn(ILogger logger, string prefix);

    [LoggerMessage(3, LogLevel.Information, "Web console on at {Path} (sign in with Manifold__Admin__Key)")]
    private static partial void LogConsole(ILogger logger, string path);
}
