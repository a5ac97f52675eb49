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
}
