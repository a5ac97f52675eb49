namespace Manifold.Contracts;

/// <summary>
/// A failure with an HTTP status and an error description that the host renders in the error shape
/// of the protocol the client called. Adapters throw it (or <see cref="UpstreamException"/>); any
/// other exception becomes a 502.
/// </summary>
public class ManifoldException(int statusCode, string type, string message, string? param = null, string? code = null)
    : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>An OpenAI-style error type, e.g. <c>invalid_request_error</c>; other protocols map it.</summary>
    public string Type { get; } = type;

    /// <summary>The request field at fault, when there is one.</summary>
    public string? Param { get; } = param;

    public string? Code { get; } = code;

    /// <summary>
    /// The upstream's own id for the failed call (Anthropic's <c>request-id</c>, OpenAI's <c>x-request-id</c>),
    /// when it sent one; the host hands it to the client, who quotes it to the vendor's support.
    /// </summary>
    public string? UpstreamRequestId { get; set; }
}
