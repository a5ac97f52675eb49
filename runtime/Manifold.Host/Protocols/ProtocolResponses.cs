using System.Buffers;
using System.Text.Json;
using Manifold.Contracts;

namespace Manifold.Host.Protocols;

/// <summary>Writes protocol-shaped error responses; shared by handlers and middleware.</summary>
public static class ProtocolResponses
{
    public static async Task WriteErrorAsync(HttpContext http, IWireProtocol protocol, ErrorInfo error)
    {
        var response = http.Response;
        if (response.HasStarted)
        {
            return;
        }
        error = Scrubbed(http, WithRequestId(http, protocol, error));
        // Every error a client gets passes here: the request log records its code.
        http.Features.Get<Metering.RequestMeter>()?.Error(error.Code ?? error.Type);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, ManifoldJson.WriterOptions))
        {
            protocol.WriteError(buffer, json, error);
        }
        response.StatusCode = error.Status;
        if (error.RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        try
        {
            await response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
        }
        catch (Exception ex) when (http.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client left before reading its error.
        }
    }

    /// <summary>
    /// The error with every upstream account key masked: the last gate, for errors that did not come through
    /// <see cref="Gateway.UpstreamInvoker"/> (a media job's stored failure, a plugin endpoint's own answer).
    /// </summary>
    internal static ErrorInfo Scrubbed(HttpContext http, ErrorInfo error)
    {
        if (http.RequestServices.GetService<Gateway.UpstreamCredentials>()?.Current is not { IsEmpty: false } scrubber)
        {
            return error;
        }
        var message = scrubber.Scrub(error.Message);
        var param = scrubber.ScrubOrNull(error.Param);
        var code = scrubber.ScrubOrNull(error.Code);
        var requestId = scrubber.ScrubOrNull(error.RequestId);
        return ReferenceEquals(message, error.Message) && ReferenceEquals(param, error.Param) && ReferenceEquals(code, error.Code) && ReferenceEquals(requestId, error.RequestId)
            ? error
            : error with { Message = message, Param = param, Code = code, RequestId = requestId };
    }

    /// <summary>
    /// Names the request in the protocol's request-id header, as the vendor's API does on every answer: the
    /// upstream's id when <paramref name="upstreamRequestId"/> is one, else Manifold's own. Call before the response starts.
    /// </summary>
    public static string SetRequestId(HttpContext http, IWireProtocol protocol, string? upstreamRequestId)
    {
        var id = upstreamRequestId ?? http.TraceIdentifier;
        if (protocol.RequestIdHeader is { } header)
        {
            http.Response.Headers[header] = id;
        }
        return id;
    }

    /// <summary>The error with the id a client quotes about it, also set as the protocol's request-id header.</summary>
    internal static ErrorInfo WithRequestId(HttpContext http, IWireProtocol protocol, ErrorInfo error)
    {
        var id = http.Response.HasStarted ? error.RequestId ?? http.TraceIdentifier : SetRequestId(http, protocol, error.RequestId);
        return error.RequestId == id ? error : error with { RequestId = id };
    }
}
