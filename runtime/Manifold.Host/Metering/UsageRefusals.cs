using System.Globalization;
using Manifold.Host.Protocols;

namespace Manifold.Host.Metering;

/// <summary>
/// A spent quota or a reached <c>limits.tpm</c>, as OpenAI answers them: 429 <c>insufficient_quota</c> (type and code), or
/// 429 <c>rate_limit_exceeded</c> of type <c>tokens</c> with <c>Retry-After</c>. Other protocols render the 429 as their
/// own (Anthropic <c>rate_limit_error</c>, Gemini <c>RESOURCE_EXHAUSTED</c>).
/// </summary>
internal static class UsageRefusals
{
    public static Task WriteAsync(HttpContext http, IWireProtocol protocol, UsageVerdict verdict)
    {
        if (verdict.Refusal == UsageRefusal.Quota)
        {
            // Waiting does not refill a quota: the SDKs that honour x-should-retry (OpenAI's, Anthropic's) stop retrying.
            http.Response.Headers["x-should-retry"] = "false";
            return ProtocolResponses.WriteErrorAsync(http, protocol,
                new ErrorInfo(StatusCodes.Status429TooManyRequests, "insufficient_quota", verdict.Message!, Code: "insufficient_quota"));
        }
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(verdict.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return ProtocolResponses.WriteErrorAsync(http, protocol,
            new ErrorInfo(StatusCodes.Status429TooManyRequests, "tokens", verdict.Message!, Code: "rate_limit_exceeded"));
    }
}
