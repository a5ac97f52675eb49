using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>Serves Gemini clients from a platform that speaks another protocol, through the hub.</summary>
public sealed class GeminiBridge(IHubTarget target, OutputOptions output) : IGenerateContentAdapter
{
    public async Task<GenerateContentResponse> GenerateContentAsync(
        string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(model, request, stream: false);
        var response = await target.SendAsync(hub, context, cancellationToken).ConfigureAwait(false);
        return GeminiCodec.Instance.EncodeResponse(response, hub);
    }

    public IAsyncEnumerable<GenerateContentResponse> StreamGenerateContentAsync(
        string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        // Decoded and encoder built before the platform is called: a request that cannot convert fails before anything is sent.
        var hub = Decode(model, request, stream: true);
        var encoder = GeminiCodec.Instance.CreateStreamEncoder(hub);
        return HubStreams.EncodeAsync(target.StreamAsync(hub, context, cancellationToken), encoder, cancellationToken);
    }

    private HubRequest Decode(string model, GenerateContentRequest request, bool stream)
    {
        var hub = GeminiCodec.Instance.DecodeRequest(request, model);
        hub.Stream = stream;
        hub.Output = output;
        return hub;
    }
}
