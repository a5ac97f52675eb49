using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using OpenAIModels = Manifold.Contracts.OpenAI;

namespace Manifold.Conversion.Models;

/// <summary>
/// Gemini's models.list and models.get for a platform that lists its models only in OpenAI's shape: each model becomes a
/// Gemini Model known by its id (<see cref="GeminiModelResources.Describe"/>). The list is whole; the host pages it.
/// </summary>
internal sealed class GeminiModelsView(OpenAIModels.IModelsAdapter models) : IGeminiModelsAdapter
{
    public async Task<ListModelsResponse> ListGeminiModelsAsync(AdapterContext context, CancellationToken cancellationToken)
    {
        var list = await models.ListModelsAsync(context, cancellationToken).ConfigureAwait(false);
        return new ListModelsResponse { Models = [.. (list.Data ?? []).Where(static m => m is not null).Select(static m => GeminiModelResources.Describe(m.Id))] };
    }

    public async Task<Model> GetGeminiModelAsync(string model, AdapterContext context, CancellationToken cancellationToken)
    {
        var found = await models.RetrieveModelAsync(model, context, cancellationToken).ConfigureAwait(false);
        return GeminiModelResources.Describe(found.Id);
    }
}
