namespace Manifold.Contracts;

/// <summary>Per-call facts the host passes to an adapter method.</summary>
public sealed class AdapterContext(string platform, UpstreamAccount? account, string requestId)
{
    /// <summary>The platform serving this call.</summary>
    public string Platform { get; } = platform;

    /// <summary>The upstream account chosen for this attempt; null for platforms without credentials.</summary>
    public UpstreamAccount? Account { get; } = account;

    /// <summary>Manifold's id for the inbound request, for correlation in logs.</summary>
    public string RequestId { get; } = requestId;

    /// <summary>
    /// The upstream's own id for this call, set by the plugin when the upstream answers with one; the host relays
    /// it in the caller's protocol's request-id header (and in Anthropic error bodies) instead of its own.
    /// </summary>
    public string? UpstreamRequestId { get; set; }
}
