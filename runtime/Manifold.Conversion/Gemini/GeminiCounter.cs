using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// Gemini's <c>models.countTokens</c> (the gemini plugin's), for clients of other protocols: the whole request as a
/// <c>generateContentRequest</c>, so the system instruction and tools are counted too.
/// </summary>
internal sealed class GeminiCounter(IGenerateContentAdapter adapter) : IHubTokenCounter
{
    public async Task<long> CountTokensAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var body = GeminiCodec.Instance.EncodeRequest(request);
        // Google requires the model inside a countTokens generateContentRequest, as its resource name.
        body.Model = GeminiModelResources.Name(request.Model);
        var count = await adapter.CountGeminiTokensAsync(request.Model, new CountTokensRequest { GenerateContentRequest = body }, context, cancellationToken).ConfigureAwait(false);
        return count.TotalTokens;
    }
}
