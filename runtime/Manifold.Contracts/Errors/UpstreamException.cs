using Manifold.Contracts.Upstream;

namespace Manifold.Contracts;

/// <summary>
/// The upstream answered with an error, or could not be reached. <see cref="Retryable"/> tells the
/// host whether the same request may be tried again on another account: for an upstream's status, what
/// <see cref="Upstream.RetryableStatuses"/> says; always for a connection failure.
/// </summary>
public sealed class UpstreamException(
    int statusCode, string type, string message, string? param = null, string? code = null, bool retryable = false, Exception? inner = null)
    : ManifoldException(statusCode, type, message, param, code)
{
    public bool Retryable { get; } = retryable;

    public Exception? Cause { get; } = inner;

    /// <summary>
    /// How long the upstream asked callers to wait before trying again (its <c>Retry-After</c> header, or OpenAI's
    /// <c>retry-after-ms</c>), when it said; <see cref="UpstreamClient"/> fills it in from the error response. The host
    /// rests the account that long after a 429 instead of its default cool-down.
    /// </summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>The upstream could not be reached, broke the connection, or went silent (a 504).</summary>
    public static UpstreamException Unreachable(string platform, Exception cause) => cause is UpstreamTimeoutException timeout
        ? new(504, "upstream_error", $"Upstream of platform '{platform}' timed out: {timeout.Message}", code: "upstream_timeout", retryable: true, inner: cause)
        : new(502, "upstream_error", $"Upstream of platform '{platform}' is unreachable: {cause.Message}", code: "upstream_unreachable", retryable: true, inner: cause);

    /// <summary>A non-streaming answer larger than <see cref="UpstreamLimits.MaxResponseBytes"/>: not read further, not retried.</summary>
    public static UpstreamException ResponseTooLarge(string platform, long maxBytes) =>
        new(502, "upstream_error", $"Upstream of platform '{platform}' sent an answer larger than {maxBytes} bytes (Manifold__Gateway__Limits__MaxResponseBytes).",
            code: "upstream_response_too_large");

    /// <summary>A stream event (or line) larger than <see cref="UpstreamLimits.MaxStreamEventBytes"/>: the stream is abandoned, not retried.</summary>
    public static UpstreamException EventTooLarge(string platform, int maxBytes) =>
        new(502, "upstream_error", $"Upstream of platform '{platform}' sent a stream event larger than {maxBytes} bytes (Manifold__Gateway__Limits__MaxStreamEventBytes).",
            code: "upstream_event_too_large");

    /// <summary>
    /// A stream that ended without its protocol's final event (<paramref name="expected"/>): the answer is incomplete, and saying
    /// so is the only truthful end. Retryable like a broken connection, which it most likely was; once events have been relayed
    /// the host can only report it.
    /// </summary>
    public static UpstreamException Truncated(string platform, string expected) =>
        new(502, "upstream_error", $"Upstream of platform '{platform}' ended the stream without {expected}; the answer is incomplete.",
            code: "upstream_stream_truncated", retryable: true);
}
