namespace Manifold.Host.Webhooks;

/// <summary>Where Manifold tells the operator about events, bound from <c>Manifold:Webhooks</c> (<c>Manifold__Webhooks__…</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Manifold:Webhooks";

    /// <summary>The operator's endpoint; events are POSTed to it as JSON. Unset: no webhooks.</summary>
    public string? Url { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c>, so the receiver can tell Manifold from anyone else; optional.</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// The share of a quota left at which <c>user_quota_too_low</c> fires, once per licence and measure (requests, tokens,
    /// cost) as it crosses: 0.1 is "10 % or less left". Raising the quota above it again re-arms it.
    /// </summary>
    public double QuotaThreshold { get; set; } = 0.1;

    /// <summary>How long one delivery may take; a failed one is tried twice more, a few seconds apart.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}
