using System.Runtime.CompilerServices;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Pipeline;

/// <summary>Drives decoders and encoders over async streams: the loop every target and bridge would otherwise repeat.</summary>
public static class HubStreams
{
    /// <summary>Platform chunks in, hub events out; the decoder's finish step runs when the platform stream ends.</summary>
    public static async IAsyncEnumerable<HubStreamEvent> DecodeAsync<TChunk>(
        IAsyncEnumerable<TChunk> chunks, IStreamDecoder<TChunk> decoder, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new List<HubStreamEvent>(4);
        await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            decoder.Decode(chunk, buffer);
            for (var i = 0; i < buffer.Count; i++)
            {
                yield return buffer[i];
            }
            buffer.Clear();
        }
        decoder.Finish(buffer);
        for (var i = 0; i < buffer.Count; i++)
        {
            yield return buffer[i];
        }
    }

    /// <summary>Hub events in, caller chunks out; the encoder's finish step runs when the hub stream ends.</summary>
    public static async IAsyncEnumerable<TChunk> EncodeAsync<TChunk>(
        IAsyncEnumerable<HubStreamEvent> events, IStreamEncoder<TChunk> encoder, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new List<TChunk>(4);
        await foreach (var hubEvent in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            encoder.Encode(hubEvent, buffer);
            for (var i = 0; i < buffer.Count; i++)
            {
                yield return buffer[i];
            }
            buffer.Clear();
        }
        encoder.Finish(buffer);
        for (var i = 0; i < buffer.Count; i++)
        {
            yield return buffer[i];
        }
    }

    /// <summary>Runs a whole (already collected) stream through a decoder; for tests and golden files.</summary>
    public static List<HubStreamEvent> Decode<TChunk>(IEnumerable<TChunk> chunks, IStreamDecoder<TChunk> decoder)
    {
        var output = new List<HubStreamEvent>();
        foreach (var chunk in chunks)
        {
            decoder.Decode(chunk, output);
        }
        decoder.Finish(output);
        return output;
    }

    /// <summary>Runs a whole hub stream through an encoder; for tests and golden files.</summary>
    public static List<TChunk> Encode<TChunk>(IEnumerable<HubStreamEvent> events, IStreamEncoder<TChunk> encoder)
    {
        var output = new List<TChunk>();
        foreach (var hubEvent in events)
        {
            encoder.Encode(hubEvent, output);
        }
        encoder.Finish(output);
        return output;
    }
}
