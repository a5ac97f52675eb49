using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using OpenAIModels = Manifold.Contracts.OpenAI;

namespace Manifold.Conversion.Models;

/// <summary>
/// Anthropic's List Models and Get a Model for a platform that lists its models only in OpenAI's shape: each model becomes
/// a ModelInfo with its id as display name and its creation time (<see cref="AnthropicModelInfos.Describe"/>). The list is
/// whole; the host pages it and fills in the paging fields.
/// </summary>
internal sealed class AnthropicModelsView(OpenAIModels.IModelsAdapter models) : IAnthropicModelsAdapter
{
    public async Task<ListModelsResponse> ListAnthropicModelsAsync(AdapterContext context, CancellationToken cancellationToken)
    {
        var list = await models.ListModelsAsync(context, cancellationToken).ConfigureAwait(false);
        return new ListModelsResponse { Data = [.. (list.Data ?? []).Where(static m => m is not null).Select(static m => AnthropicModelInfos.Describe(m.Id, m.Created))] };
    }

    public async Task<ModelInfo> GetAnthropicModelAsync(string modelId, AdapterContext context, CancellationToken cancellationToken)
    {
        var found = await models.RetrieveModelAsync(modelId, context, cancellationToken).ConfigureAwait(false);
        return AnthropicModelInfos.Describe(found.Id, found.Created);
    }
}
