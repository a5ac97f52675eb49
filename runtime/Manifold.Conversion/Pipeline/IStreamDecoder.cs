using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Pipeline;

/// <summary>
/// Turns a platform's stream chunks into <see cref="HubStreamEvent"/>s. Stateful: one instance per stream.
/// Appends to <paramref name="output"/> rather than returning sequences, so the hot path allocates only events.
/// </summary>
public interface IStreamDecoder<in TChunk>
{
    void Decode(TChunk chunk, List<HubStreamEvent> output);

    /// <summary>
    /// The stream ended. Emits whatever is still owed, at least <see cref="StreamFinished"/> if the platform
    /// never sent its reason. Called once, after the last chunk.
    /// </summary>
    void Finish(List<HubStreamEvent> output);
}
