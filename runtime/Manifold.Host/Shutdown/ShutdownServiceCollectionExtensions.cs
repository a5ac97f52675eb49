using Manifold.Host.Gateway;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Shutdown;

public static class ShutdownServiceCollectionExtensions
{
    /// <summary>
    /// What the background services get after the drain: the media poller hands jobs back, the webhook deliverer its
    /// claims, the usage writer writes its queue. The host waits <see cref="GatewayOptions.DrainTimeout"/> plus this.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers the drain and <see cref="ShutdownCoordinator"/>; call before any other hosted service, so the coordinator
    /// hears of a stop first and stops last.
    /// </summary>
    public static IServiceCollection AddManifoldShutdown(this IServiceCollection services)
    {
        services.AddSingleton<StreamDrain>();
        services.AddHostedService<ShutdownCoordinator>();
        services.AddOptions<HostOptions>().Configure<IOptions<GatewayOptions>>(static (host, gateway) =>
            host.ShutdownTimeout = (gateway.Value.DrainTimeout > TimeSpan.Zero ? gateway.Value.DrainTimeout : TimeSpan.Zero) + Grace);
        return services;
    }
}
