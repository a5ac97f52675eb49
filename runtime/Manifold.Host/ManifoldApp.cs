using Manifold.Host.Admin;
using Manifold.Host.Auth;
using Manifold.Host.Endpoints;
using Manifold.Host.Gateway;
using Manifold.Host.Generated;
using Manifold.Host.Media;
using Manifold.Host.Metering;
using Manifold.Host.Metrics;
using Manifold.Host.Platforms;
using Manifold.Host.PluginEndpoints;
using Manifold.Host.Shutdown;

namespace Manifold.Host;

/// <summary>
/// The gateway as one application, whoever hosts it: <c>Program</c> (the process operators run) and
/// Manifold.Host.Testing (the same gateway inside a plugin author's test), so both serve exactly the same endpoints.
/// </summary>
public static class ManifoldApp
{
    /// <summary>Adds the gateway's services (licences, storage, plugins, platforms, the OpenAPI document) to <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddManifold(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(static kestrel => kestrel.AddServerHeader = false);
        // First of the hosted services: told of a stop first, stopped last (Shutdown/ShutdownCoordinator).
        builder.Services.AddManifoldShutdown();
        builder.Services.AddManifoldGateway(builder.Configuration);
        builder.Services.AddManifoldAuth(builder.Configuration);
        builder.Services.AddManifoldAdmin(builder.Configuration);
        builder.Services.AddManifoldMetrics(builder.Configuration);
        // The document describes the specs, which do not change while the process runs: it is built once, served from memory,
        // and names no server (it must not echo a client's Host header back to everyone).
        builder.Services.AddOpenApi(static options => options.AddDocumentTransformer(static (document, _, _) =>
        {
            document.Servers = [];
            return Task.CompletedTask;
        }));
        builder.Services.AddOutputCache();
        builder.Services.AddSingleton<RouteMethods>();
        return builder;
    }

    /// <summary>
    /// Builds the application, loads the plugins and creates the platforms (so a misconfiguration stops startup with its
    /// message instead of failing requests), and maps every endpoint.
    /// </summary>
    public static WebApplication BuildManifold(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();

        var platforms = app.Services.GetRequiredService<PlatformRegistry>();

        // Outermost: whatever escapes below is still an answer in the caller's protocol, never an empty 500.
        app.UseMiddleware<Failures.LastResortMiddleware>();
        app.UseRouting();
        // Before the licence check, so that refused requests are counted and metered too (and carry the overhead header).
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<UsageMiddleware>();
        app.UseMiddleware<LicenceMiddleware>();

        app.MapManifoldEndpoints();
        app.MapMediaFiles();
        Tasks.Generations.GenerationEndpoints.MapGenerations(app);
        app.MapManifoldAdmin();
        app.MapManifoldMetrics();
        app.UseOutputCache();
        app.MapOpenApi().CacheOutput(static policy => policy.Expire(TimeSpan.FromDays(365)).SetVaryByHost(false));
        app.MapGet("/healthz", static () => Results.Text("ok"));
        // After every route of the host's own, so that a plugin's operation that would share one stops startup instead.
        app.MapPluginEndpoints(platforms.Plugins);
        app.MapFallback(UnknownPaths.Pattern, UnknownPaths.WriteAsync);
        return app;
    }
}
