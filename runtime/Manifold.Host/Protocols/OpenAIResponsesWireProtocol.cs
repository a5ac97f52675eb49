using System.Buffers;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;

namespace Manifold.Host.Protocols;

/// <summary>
/// OpenAI Responses' wire conventions: errors in OpenAI's <c>{"error":{"message","type","param","code"}}</c>
/// shape, and streams as named server-sent events, <c>event: {type}\ndata: {json}\n\n</c>, with no
/// <c>[DONE]</c> marker (response.completed, response.incomplete or response.failed ends the stream).
/// </summary>
public sealed class OpenAIResponsesWireProtocol : IWireProtocol
{
    public static OpenAIResponsesWireProtocol Instance { get; } = new();

    public string Name => "openai-responses";

    public string? RequestIdHeader => "x-request-id";

    public void WriteError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
    {
        json.Reset(output);
        OpenAIWireProtocol.WriteErrorObject(json, error);
        json.Flush();
    }

    /// <summary>A new framing per stream: it numbers the error event after the last event it wrote.</summary>
    public IStreamFraming BeginStream(HttpRequest request) => new Framing();

    /// <summary>Responses clients are OpenAI's, told apart from Chat clients by path, not by request.</summary>
    public bool IsClient(HttpRequest request) => false;

    public bool OwnsPath(string path) => false;

    private sealed class Framing : IStreamFraming
    {
        // -1 until an event is written, so an error as the first event gets sequence_number 0.
        private long _lastSequenceNumber = -1;

        public string ContentType => "text/event-stream; charset=utf-8";

        public void WriteStart(IBufferWriter<byte> output)
        {
        }

        public void WriteEvent<T>(IBufferWriter<byte> output, Utf8JsonWriter json, T value)
        {
            // The event name repeats the payload's type, as the API sends it; SDKs dispatch on either.
            if (value is ResponseStreamEvent streamEvent)
            {
                _lastSequenceNumber = Math.Max(_lastSequenceNumber, streamEvent.SequenceNumber);
                SseWriter.WriteName(output, streamEvent.Type);
            }
            else
            {
                // A plugin's own events, named after their type as the protocol names its events.
                SseWriter.WriteName(output, EventNames.Of(value));
            }
            SseWriter.WriteData(output, json, value, SseWriter.EventEnd);
        }

        /// <summary>
        /// The API's in-stream failure: an <c>error</c> event whose payload holds code, message and param
        /// next to its type and the next sequence number. The stream ends there.
        /// </summary>
        public void WriteStreamError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
        {
            output.Write("event: error\ndata: "u8);
            json.Reset(output);
            json.WriteStartObject();
            json.WriteString("type", "error");
            // Without an upstream code, the error type (e.g. server_error) is the most specific code there is.
            json.WriteString("code", error.Code ?? error.Type);
            json.WriteString("message", error.Message);
            if (error.Param is null)
            {
                json.WriteNull("param");
            }
            else
            {
                json.WriteString("param", error.Param);
            }
            json.WriteNumber("sequence_number", _lastSequenceNumber + 1);
            json.WriteEndObject();
            json.Flush();
            output.Write("\n\n"u8);
        }

        public void WriteStreamEnd(IBufferWriter<byte> output)
        {
        }
    }
}
