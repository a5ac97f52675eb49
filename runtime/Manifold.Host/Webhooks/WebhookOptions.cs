namespace Manifold.Host.Webhooks;

/// <summary>Where Manifold tells the operator about events, bound from <c>Manifold:Webhooks</c> (<c>Manifold__Webhooks__…</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Manifold:Webhooks";

    /// <summary>The operator's endpoint; events are POSTed to it as JSON. Unset: no webhooks.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// The deployment's webhook signing secret (<c>whsec_</c> + base64, as Standard Webhooks defines it): every webhook,
    /// tasks' and the operator's, is signed with it (<see cref="WebhookSignature"/>). Unset: one is generated into the data
    /// folder (<see cref="WebhookSecret"/>). A secret in the older plain form is also sent to the operator's
    /// <see cref="Url"/> as <c>Authorization: Bearer</c>, as before; a <c>whsec_</c> secret never leaves the gateway.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// How long a task's webhook waits before each retry, comma-separated (<c>hh:mm:ss</c>); its length is the number of
    /// retries, so six attempts in all by default. A 2xx is delivered; anything else, or no answer, is tried again.
    /// </summary>
    public string RetrySchedule { get; set; } = "00:00:05,00:00:30,00:02:00,00:10:00,01:00:00";

    /// <summary><see cref="RetrySchedule"/> read; a malformed one stops startup (<see cref="WebhookOptionsValidator"/>).</summary>
    public IReadOnlyList<TimeSpan> Retries =>
        [.. RetrySchedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(static s => TimeSpan.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>
    /// The share of a quota left at which <c>user_quota_too_low</c> fires, once per licence and measure (requests, tokens,
    /// cost) as it crosses: 0.1 is "10 % or less left". Raising the quota above it again re-arms it.
    /// </summary>
    public double QuotaThreshold { get; set; } = 0.1;

    /// <summary>How long one delivery may take; a failed one is tried twice more, a few seconds apart.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}
