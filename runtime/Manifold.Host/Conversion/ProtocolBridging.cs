using Manifold.Contracts;
using Manifold.Conversion;
using Manifold.Conversion.Models;
using Manifold.Conversion.Pipeline;

namespace Manifold.Host.Conversion;

/// <summary>
/// How a platform serves an inbound protocol it may not speak: natively when it implements the caller's
/// adapter interface, otherwise through the hub, converting to the first platform protocol it speaks
/// (in <see cref="ProtocolCatalog.Platform"/> order).
/// </summary>
internal static class ProtocolBridging
{
    /// <summary>The inbound protocol whose clients call <typeparamref name="TAdapter"/>; null for adapters that don't convert (models).</summary>
    public static IInboundProtocol? Inbound<TAdapter>() => InboundOf<TAdapter>.Protocol;

    /// <summary>The hub target for <paramref name="platform"/>: its preferred platform protocol; null when it speaks none.</summary>
    public static IHubTarget? TargetFor(IPlatform platform)
    {
        foreach (var protocol in ProtocolCatalog.Platform)
        {
            if (protocol.AdapterType.IsInstanceOfType(platform))
            {
                return protocol.CreateTarget(platform);
            }
        }
        return null;
    }

    /// <summary>
    /// The token counter for <paramref name="platform"/>: the first platform protocol it speaks that has one (the openai kind
    /// speaks Chat first, but counts with Responses' input_tokens); null when it has none, and counts are estimated.
    /// </summary>
    public static IHubTokenCounter? CounterFor(IPlatform platform)
    {
        foreach (var protocol in ProtocolCatalog.Platform)
        {
            if (protocol.AdapterType.IsInstanceOfType(platform) && protocol.CreateCounter(platform) is { } counter)
            {
                return counter;
            }
        }
        return null;
    }

    /// <summary>
    /// A model list in <typeparamref name="TAdapter"/>'s shape over <paramref name="platform"/>'s OpenAI-shaped one, for a
    /// platform that does not list natively in that shape; null when <typeparamref name="TAdapter"/> is no model list.
    /// </summary>
    public static TAdapter? ModelListView<TAdapter>(IPlatform platform)
        where TAdapter : class =>
        ModelListViews.Serves(typeof(TAdapter)) ? ModelListViews.Create(typeof(TAdapter), platform) as TAdapter : null;

    // Looked up once per adapter type, then a static field read on every request.
    private static class InboundOf<TAdapter>
    {
        public static readonly IInboundProtocol? Protocol =
            ProtocolCatalog.Inbound.FirstOrDefault(static p => p.AdapterType == typeof(TAdapter));
    }
}
