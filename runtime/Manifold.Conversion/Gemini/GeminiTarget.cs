using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>A platform that speaks the Gemini API, seen in hub terms. The model goes in the URL, not the body.</summary>
public sealed class GeminiTarget(IGenerateContentAdapter adapter, TimeProvider? time = null) : IHubTarget
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Protocol => GeminiFields.DisplayName;

    public async Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var body = GeminiCodec.Instance.EncodeRequest(request);
        var answer = await adapter.GenerateContentAsync(request.Model, body, context, cancellationToken).ConfigureAwait(false);
        var response = GeminiCodec.Instance.DecodeResponse(answer);
        // Gemini answers carry no creation time, and modelVersion only usually.
        response.Created = _time.GetUtcNow().ToUnixTimeSeconds();
        if (response.Model.Length == 0)
        {
            response.Model = request.Model;
        }
        return response;
    }

    public IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var body = GeminiCodec.Instance.EncodeRequest(request);
        var decoder = new GeminiStreamDecoder(request, _time.GetUtcNow().ToUnixTimeSeconds());
        return HubStreams.DecodeAsync(adapter.StreamGenerateContentAsync(request.Model, body, context, cancellationToken), decoder, cancellationToken);
    }
}
