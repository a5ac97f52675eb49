using System.Buffers;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;

namespace Manifold.Host.Protocols;

/// <summary>
/// Anthropic Messages' wire conventions: errors as <c>{"type":"error","error":{"type","message"},"request_id"}</c> with
/// Anthropic's error type for the status, and streams as named server-sent events,
/// <c>event: {type}\ndata: {json}\n\n</c>, with no end marker (message_stop ends the stream). A failure
/// after the stream started is an <c>error</c> event holding the same body as an error response.
/// </summary>
public sealed class AnthropicWireProtocol : IWireProtocol, IStreamFraming
{
    public static AnthropicWireProtocol Instance { get; } = new();

    public string Name => "anthropic";

    public string? RequestIdHeader => "request-id";

    public void WriteError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
    {
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteStartObject("error");
        // The type the error came with is OpenAI-flavoured (or a platform's own), so the status decides.
        json.WriteString("type", AnthropicErrorTypes.ForStatus(error.Status));
        json.WriteString("message", error.Message);
        json.WriteEndObject();
        json.WriteString("request_id", error.RequestId);
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>Every Anthropic stream is framed alike and the framing holds no state, so one instance serves all.</summary>
    public IStreamFraming BeginStream(HttpRequest request) => this;

    /// <summary>Anthropic's SDKs send <c>anthropic-version</c> on every request; the API refuses requests without it.</summary>
    public bool IsClient(HttpRequest request) => request.Headers.ContainsKey("anthropic-version");

    /// <summary><c>/v1/messages</c> and anything under it are the Messages API's (OpenAI has no such path).</summary>
    public bool OwnsPath(string path) =>
        path.Equals("/v1/messages", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/v1/messages/", StringComparison.OrdinalIgnoreCase);

    public string ContentType => "text/event-stream; charset=utf-8";

    public void WriteStart(IBufferWriter<byte> output)
    {
    }

    public void WriteEvent<T>(IBufferWriter<byte> output, Utf8JsonWriter json, T value)
    {
        // The API names every event after its payload's type; the SDKs dispatch on the data, some on the name.
        SseWriter.WriteName(output, value is MessageStreamEvent streamEvent ? streamEvent.Type : EventNames.Of(value));
        SseWriter.WriteData(output, json, value, SseWriter.EventEnd);
    }

    public void WriteStreamError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
    {
        output.Write("event: error\ndata: "u8);
        WriteError(output, json, error);
        output.Write("\n\n"u8);
    }

    public void WriteStreamEnd(IBufferWriter<byte> output)
    {
        // Nothing: message_stop, relayed or encoded like any other event, is the last word.
    }
}
