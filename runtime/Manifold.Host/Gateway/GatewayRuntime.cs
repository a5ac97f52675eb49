using Manifold.Host.Metrics;
using Manifold.Host.Platforms;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Gateway;

/// <summary>Everything a call needs from DI, in one singleton, so each request does one service lookup.</summary>
public sealed class GatewayRuntime(PlatformRegistry platforms, IOptions<GatewayOptions> options, GatewayLog log, GatewayMetrics? metrics = null, Shutdown.StreamDrain? drain = null)
{
    public PlatformRegistry Platforms { get; } = platforms;

    public GatewayOptions Options { get; } = options.Value;

    public GatewayLog Log { get; } = log;

    /// <summary>The request path's instruments; detached (recorded nowhere) when the host's metrics are not registered.</summary>
    public GatewayMetrics Metrics { get; } = metrics ?? GatewayMetrics.Detached;

    /// <summary>The streams a stopping gateway drains; one that never ends where the shutdown services are not registered.</summary>
    public Shutdown.StreamDrain Drain { get; } = drain ?? Shutdown.StreamDrain.Never;

    /// <summary>Calls adapters with retries, cool-downs and one error mapping, for requests and background work alike.</summary>
    public UpstreamInvoker Invoker { get; } = new(options.Value, log, metrics);
}
