using System.Buffers;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Host.Endpoints;
using Manifold.Host.Protocols;

namespace Manifold.Host.Failures;

/// <summary>
/// The outermost middleware: whatever escapes any endpoint (gateway, admin, media, <c>/v2</c>, a plugin's) is answered, never
/// left to the server, which would send an empty 500 or cut the connection. Before the response starts it is a 500 in the
/// caller's protocol with the request id (Kestrel's own refusals, such as a body past its limit, keep their 4xx); after a
/// stream has started, an error event in the protocol's framing ends it; anything else started is aborted, so a client never
/// takes a truncated body for a whole one. Logged once here, with the exception, method and path (never the query string or
/// headers, where keys travel).
/// </summary>
internal sealed class LastResortMiddleware(RequestDelegate next, ILogger<LastResortMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (Exception ex) when (http.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client left; there is no one to answer.
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel refusing what the client sent (a body too large or cut short): the client's fault, in its protocol.
            await AnswerAsync(http, new ErrorInfo(ex.StatusCode, "invalid_request_error", ex.Message, Code: ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request_too_large" : null));
        }
        catch (Exception ex)
        {
            LastResortLog.Unhandled(logger, ex, http.Request.Method, http.Request.Path.Value ?? string.Empty, http.TraceIdentifier);
            await AnswerAsync(http, new ErrorInfo(StatusCodes.Status500InternalServerError, "server_error",
                $"Manifold failed while handling this request ({ex.GetType().Name}); it is logged under request id {http.TraceIdentifier}.",
                Code: "internal_error"));
        }
    }

    /// <summary>The protocol of the endpoint that failed, else of the API its path belongs to (admin and <c>/v2</c>: OpenAI's shape).</summary>
    internal static IWireProtocol ProtocolOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<OperationDescriptor>() is { } operation
            ? WireProtocols.Get(operation.Protocol)
            : WireProtocols.OwnerOf(http.Request.Path);

    private static async Task AnswerAsync(HttpContext http, ErrorInfo error)
    {
        var protocol = ProtocolOf(http);
        if (!http.Response.HasStarted)
        {
            // Whatever the endpoint set (headers of a stream it was about to start) is not for this answer.
            http.Response.Clear();
            await ProtocolResponses.WriteErrorAsync(http, protocol, error);
            return;
        }
        if (http.Response.ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true)
        {
            try
            {
                var buffer = new ArrayBufferWriter<byte>(256);
                using (var json = new Utf8JsonWriter(buffer, ManifoldJson.WriterOptions))
                {
                    protocol.BeginStream(http.Request).WriteStreamError(buffer, json, ProtocolResponses.WithRequestId(http, protocol, error));
                }
                await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                return;
            }
            catch (Exception writeFailure) when (writeFailure is IOException or OperationCanceledException or InvalidOperationException)
            {
                // Fall through: the connection is not fit to carry an event.
            }
        }
        http.Abort();
    }
}

internal static partial class LastResortLog
{
    [LoggerMessage(1, LogLevel.Error, "Unhandled exception answering {Method} {Path} (request id {RequestId}); answered with a 500 in the caller's protocol")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path, string requestId);
}
