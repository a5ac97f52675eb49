using Manifold.Contracts;

namespace Manifold.Host.Protocols;

/// <summary>A protocol-neutral error; each <see cref="IWireProtocol"/> renders it in its own shape.</summary>
/// <param name="RequestId">
/// The id a client quotes about this failure: the upstream's when it gave one, else Manifold's own
/// (<see cref="ProtocolResponses"/> fills it in). Protocols whose errors carry an id (Anthropic's <c>request_id</c>) write it.
/// </param>
/// <param name="RetryAfter">When the caller may try again, sent as the <c>Retry-After</c> header (a 429 or 503 that knows).</param>
public sealed record ErrorInfo(
    int Status, string Type, string Message, string? Param = null, string? Code = null, string? RequestId = null, TimeSpan? RetryAfter = null)
{
    /// <summary>The exception as an error; an upstream's own Retry-After (a 429 passed on) goes with it.</summary>
    public static ErrorInfo From(ManifoldException exception) =>
        new(exception.StatusCode, exception.Type, exception.Message, exception.Param, exception.Code, exception.UpstreamRequestId,
            (exception as UpstreamException)?.RetryAfter);

    public static ErrorInfo BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", message, param, code);

    public static ErrorInfo NotFound(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status404NotFound, "invalid_request_error", message, param, code);
}
