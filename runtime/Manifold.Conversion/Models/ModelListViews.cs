using Manifold.Contracts.Anthropic;
using Manifold.Contracts.Gemini;
using OpenAIModels = Manifold.Contracts.OpenAI;

namespace Manifold.Conversion.Models;

/// <summary>
/// Model lists are not converted through the hub: every platform lists its models in OpenAI's shape
/// (<see cref="OpenAIModels.IModelsAdapter"/>, the one plugins must implement to be listed), and a platform that does not
/// list them natively in Gemini's or Anthropic's shape is shown in it by a view of that list. A native list (the gemini
/// plugin's Google models, the claude plugin's Anthropic ones) says more: display names, token limits.
/// </summary>
public static class ModelListViews
{
    /// <summary>Whether <paramref name="adapterType"/> is a model list a view can serve.</summary>
    public static bool Serves(Type adapterType) => adapterType == typeof(IGeminiModelsAdapter) || adapterType == typeof(IAnthropicModelsAdapter);

    /// <summary>An implementation of <paramref name="adapterType"/> over <paramref name="platform"/>'s OpenAI-shaped list; null when there is none.</summary>
    public static object? Create(Type adapterType, object platform)
    {
        if (platform is not OpenAIModels.IModelsAdapter models)
        {
            return null;
        }
        if (adapterType == typeof(IGeminiModelsAdapter))
        {
            return new GeminiModelsView(models);
        }
        return adapterType == typeof(IAnthropicModelsAdapter) ? new AnthropicModelsView(models) : null;
    }
}
