using System.Buffers;
using System.Text.Json;

namespace Manifold.Host.Protocols;

/// <summary>
/// OpenAI Images' wire conventions: errors in OpenAI's <c>{"error":{"message","type","param","code"}}</c> shape, and
/// streams (<c>stream: true</c>) as named server-sent events, <c>event: {type}\ndata: {json}\n\n</c>
/// (<c>image_generation.partial_image</c>, <c>image_generation.completed</c>, <c>image_edit.*</c>), with no
/// <c>[DONE]</c> marker: the completed event ends the stream.
/// </summary>
public sealed class OpenAIImagesWireProtocol : IWireProtocol, IStreamFraming
{
    public static OpenAIImagesWireProtocol Instance { get; } = new();

    public string Name => "openai-images";

    public string? RequestIdHeader => "x-request-id";

    public void WriteError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
    {
        json.Reset(output);
        OpenAIWireProtocol.WriteErrorObject(json, error);
        json.Flush();
    }

    /// <summary>Images clients are OpenAI's, told apart by path.</summary>
    public bool IsClient(HttpRequest request) => false;

    public bool OwnsPath(string path) => false;

    /// <summary>Every images stream is framed alike and the framing holds no state, so one instance serves all.</summary>
    public IStreamFraming BeginStream(HttpRequest request) => this;

    public string ContentType => "text/event-stream; charset=utf-8";

    public void WriteStart(IBufferWriter<byte> output)
    {
    }

    public void WriteEvent<T>(IBufferWriter<byte> output, Utf8JsonWriter json, T value)
    {
        SseWriter.WriteName(output, EventNames.Of(value));
        SseWriter.WriteData(output, json, value, SseWriter.EventEnd);
    }

    /// <summary>A failure after the stream started: an <c>error</c> event holding the same body as an error response.</summary>
    public void WriteStreamError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
    {
        output.Write("event: error\ndata: "u8);
        WriteError(output, json, error);
        output.Write("\n\n"u8);
    }

    public void WriteStreamEnd(IBufferWriter<byte> output)
    {
        // Nothing: the completed event is the last word.
    }
}
