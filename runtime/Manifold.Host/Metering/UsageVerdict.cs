namespace Manifold.Host.Metering;

/// <summary>
/// Whether a licence may make another request as far as its quota and <c>limits.tpm</c> go. A value: the usual answer,
/// "yes", is the default and costs nothing; the message is written only for a refusal.
/// </summary>
public readonly record struct UsageVerdict(UsageRefusal Refusal, string? Message = null, TimeSpan RetryAfter = default)
{
    public bool Allowed => Refusal == UsageRefusal.None;
}

public enum UsageRefusal : byte
{
    None,

    /// <summary>A quota is spent: 429 <c>insufficient_quota</c>; waiting does not help.</summary>
    Quota,

    /// <summary>The last minute's tokens reached <c>limits.tpm</c>: 429 <c>rate_limit_exceeded</c> with Retry-After.</summary>
    Tpm,
}
