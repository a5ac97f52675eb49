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

    /// <summary>Writes a complete error body, as the protocol's own API would answer.</summary>
    void WriteError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error);

    /// <summary>Writes one streamed event carrying <paramref name="value"/>.</summary>
    void WriteEvent<T>(IBufferWriter<byte> output, Utf8JsonWriter json, T value);

    /// <summary>Writes the event that reports a failure after the stream has started.</summary>
    void WriteStreamError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error);

    /// <summary>Writes whatever marks a complete stream (OpenAI's <c>data: [DONE]</c>).</summary>
    void WriteStreamEnd(IBufferWriter<byte> output);
}
