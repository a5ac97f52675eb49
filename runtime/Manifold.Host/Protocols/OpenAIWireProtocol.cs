using System.Buffers;
using System.Text.Json;
using Manifold.Contracts;

namespace Manifold.Host.Protocols;

/// <summary>
/// OpenAI's wire conventions: <c>{"error":{"message","type","param","code"}}</c> bodies and
/// <c>data: {json}\n\n</c> events closed by <c>data: [DONE]</c>.
/// </summary>
public sealed class OpenAIWireProtocol : IWireProtocol, IStreamFraming
{
    public static OpenAIWireProtocol Instance { get; } = new();

    public string Name => "openai";

    public string? RequestIdHeader => "x-request-id";

    public void WriteError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
    {
        json.Reset(output);
        WriteErrorObject(json, error);
        json.Flush();
    }

    public IStreamFraming BeginStream(HttpRequest request) => this;

    /// <summary>OpenAI's clients are the ones no other protocol claims: they send nothing of their own.</summary>
    public bool IsClient(HttpRequest request) => false;

    /// <summary>Unknown paths are OpenAI's unless another protocol owns them: its 404 is the default.</summary>
    public bool OwnsPath(string path) => false;

    public string ContentType => "text/event-stream; charset=utf-8";

    public void WriteStart(IBufferWriter<byte> output)
    {
    }

    public void WriteEvent<T>(IBufferWriter<byte> output, Utf8JsonWriter json, T value) =>
        SseWriter.WriteData(output, json, value, SseWriter.EventEnd);

    public void WriteStreamError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
    {
        // OpenAI reports a failure inside a stream as a data event holding the usual error object.
        output.Write("data: "u8);
        WriteError(output, json, error);
        output.Write("\n\n"u8);
    }

    public void WriteStreamEnd(IBufferWriter<byte> output) => output.Write("data: [DONE]\n\n"u8);

    /// <summary>The <c>{"error":{...}}</c> object; public for protocols that share OpenAI's error shape (Responses).</summary>
    public static void WriteErrorObject(Utf8JsonWriter json, ErrorInfo error)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", error.Message);
        json.WriteString("type", error.Type);
        WriteNullable(json, "param", error.Param);
        WriteNullable(json, "code", error.Code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
