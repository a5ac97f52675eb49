using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Pipeline;

/// <summary>
/// Turns <see cref="HubStreamEvent"/>s into the caller's stream chunks. Stateful: one instance per stream.
/// </summary>
public interface IStreamEncoder<TChunk>
{
    void Encode(HubStreamEvent hubEvent, List<TChunk> output);

    /// <summary>
    /// The hub stream ended. Closes whatever is open (blocks, items, the response) so the caller sees a
    /// well-formed stream even when the platform stopped without saying why. Called once.
    /// </summary>
    void Finish(List<TChunk> output);
}
