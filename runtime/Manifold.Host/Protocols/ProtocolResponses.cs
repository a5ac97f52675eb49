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
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, ManifoldJson.WriterOptions))
        {
            protocol.WriteError(buffer, json, error);
        }
        response.StatusCode = error.Status;
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
}
