using Manifold.Contracts;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Pipeline;

/// <summary>
/// A platform seen through one of its native adapters, in hub terms: encodes the hub request into that
/// adapter's protocol, calls it, and decodes the answer. One implementation per platform protocol.
/// </summary>
public interface IHubTarget
{
    /// <summary>The platform protocol this target speaks, for messages ("Anthropic Messages").</summary>
    string Protocol { get; }

    Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken);

    IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken);
}
