namespace Manifold.Contracts;

/// <summary>
/// The upstream went silent: no response headers within the first-byte timeout, or no body bytes within the idle
/// timeout. An <see cref="IOException"/>, so every plugin that treats a broken connection as an upstream failure
/// treats this one alike; <see cref="UpstreamException.Unreachable"/> turns it into a 504 that may fail over.
/// </summary>
public sealed class UpstreamTimeoutException(UpstreamTimeoutPhase phase, TimeSpan timeout)
    : IOException(phase == UpstreamTimeoutPhase.FirstByte
        ? $"no answer within {timeout:c} (Manifold__Gateway__Timeouts__FirstByte)"
        : $"nothing received for {timeout:c} (Manifold__Gateway__Timeouts__Idle)")
{
    public UpstreamTimeoutPhase Phase { get; } = phase;

    public TimeSpan Timeout { get; } = timeout;
}

/// <summary>Which silence timed out.</summary>
public enum UpstreamTimeoutPhase
{
    /// <summary>Before the response headers.</summary>
    FirstByte,

    /// <summary>Between two reads of the body.</summary>
    Idle,
}
