using System.Buffers;
using System.Text.Json;

namespace Manifold.Host.Protocols;

/// <summary>
/// What differs between inbound protocols once the request is typed: the error body, and the framing
/// of streamed events. Specs name their protocol (<c>x-manifold.protocol</c>); handlers look it up here.
/// </summary>
public interface IWireProtocol
{
    string Name { get; }

    /// <summary>
    /// The response header in which the protocol's API names the request (<c>x-request-id</c>, Anthropic's
    /// <c>request-id</c>), which its SDK exposes on answers and errors; null when it has none.
    /// </summary>
    string? RequestIdHeader => null;

    /// <summary>Writes a complete error body, as the protocol's own API would answer.</summary>
    void WriteError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error);

    /// <summary>
    /// The framing of one streamed answer to <paramref name="request"/>. Most protocols frame every
    /// stream alike and return a shared instance; Gemini picks SSE or a JSON array by <c>?alt=sse</c>.
    /// </summary>
    IStreamFraming BeginStream(HttpRequest request);

    /// <summary>
    /// Whether <paramref name="request"/> comes from this protocol's clients, told by what only they send (a header, how
    /// they present their key). Decides which protocol answers on a route several protocols share (<c>GET /v1/models</c>);
    /// OpenAI's clients send nothing the others do not, so OpenAI recognises none and answers whatever no other claims.
    /// </summary>
    bool IsClient(HttpRequest request);

    /// <summary>
    /// Whether <paramref name="path"/>, which no endpoint serves, lies in this protocol's API (its version prefix, its
    /// resource paths), so that its 404 comes in this protocol's error shape. <paramref name="path"/> has no
    /// <c>/{platform}</c> prefix.
    /// </summary>
    bool OwnsPath(string path);

    /// <summary>The model a client named, as platforms know it; most protocols name models by their bare id already.</summary>
    string ModelOf(string named) => named;
}

/// <summary>How one streamed answer is written. May hold per-stream state (e.g. "first element written").</summary>
public interface IStreamFraming
{
    /// <summary>The response Content-Type.</summary>
    string ContentType { get; }

    /// <summary>Writes whatever precedes the first event (Gemini's <c>[</c>).</summary>
    void WriteStart(IBufferWriter<byte> output);

    /// <summary>Writes one streamed event carrying <paramref name="value"/>.</summary>
    void WriteEvent<T>(IBufferWriter<byte> output, Utf8JsonWriter json, T value);

    /// <summary>Writes the event that reports a failure after the stream has started, and closes the stream.</summary>
    void WriteStreamError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error);

    /// <summary>Writes whatever marks a complete stream (OpenAI's <c>data: [DONE]</c>).</summary>
    void WriteStreamEnd(IBufferWriter<byte> output);
}
