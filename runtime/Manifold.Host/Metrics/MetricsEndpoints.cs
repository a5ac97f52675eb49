using Manifold.Host.Admin;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Metrics;

/// <summary>
/// <c>GET /metrics</c>: Prometheus' text format, for the operator's scraper, behind <see cref="MetricsAccessFilter"/>. On
/// when a metrics key or the admin key is configured, or <c>Manifold__Metrics__Open</c> is true; otherwise the path is
/// unknown (404) and startup says how to turn it on. Measurements are recorded either way (they cost next to nothing).
/// </summary>
public static partial class MetricsEndpoints
{
    public const string Path = "/metrics";

    public static IServiceCollection AddManifoldMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName));
        services.AddMetrics();
        services.AddSingleton<MetricsCollector>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<MediaTaskCounts>();
        services.AddSingleton<MetricsGauges>();
        // An account pool with richer health registers its own source; this default reads the platforms' cool-downs.
        services.TryAddSingleton<IAccountHealthSource, PlatformAccountHealth>();
        return services;
    }

    public static IEndpointRouteBuilder MapManifoldMetrics(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        var admin = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Manifold.Metrics");
        if (!options.Open && string.IsNullOrWhiteSpace(options.Key) && !admin.Enabled)
        {
            LogOff(logger);
            return endpoints;
        }
        endpoints.MapGet(Path, ScrapeAsync)
            .AddEndpointFilter<MetricsAccessFilter>()
            .ExcludeFromDescription();
        if (options.Open)
        {
            LogOpen(logger, Path);
        }
        else
        {
            LogOn(logger, Path);
        }
        return endpoints;
    }

    private static async Task<IResult> ScrapeAsync(MetricsGauges gauges, MetricsCollector collector, CancellationToken cancellationToken)
    {
        await gauges.RefreshAsync(cancellationToken);
        return Results.Text(collector.Collect(), PrometheusTextWriter.ContentType);
    }

    [LoggerMessage(1, LogLevel.Information, "Metrics are off: set Manifold__Metrics__Key (or Manifold__Admin__Key, or Manifold__Metrics__Open=true) to serve /metrics")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Metrics on at {Path} (Authorization: Bearer <Manifold__Metrics__Key or Manifold__Admin__Key>)")]
    private static partial void LogOn(ILogger logger, string path);

    [LoggerMessage(3, LogLevel.Warning, "Metrics on at {Path} without authentication (Manifold__Metrics__Open=true): keep it on a private network")]
    private static partial void LogOpen(ILogger logger, string path);
}
