using Manifold.Contracts;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// The <c>openai-compatible</c> plugin kind: any service that speaks Chat Completions (DeepSeek, vLLM, Ollama, ...);
/// not the Responses API, which such services lack (Responses clients reach them through conversion).
/// There is no sensible default upstream, so BaseUrl is required; and no default models, so operators list
/// the service's Models for the root routes to find it (it is always reachable as <c>/{platform}/v1/...</c>).
/// </summary>
public sealed class OpenAICompatiblePlugin : IPlatformPlugin
{
    public string Kind => "openai-compatible";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services)
    {
        var baseUrl = settings.BaseUrl ?? throw new InvalidOperationException(
            $"Platform '{settings.Name}' uses plugin '{Kind}', which needs a BaseUrl: set Manifold:Platforms:{settings.Name}:BaseUrl " +
            $"(environment: Manifold__Platforms__{settings.Name}__BaseUrl) to the service's OpenAI-style base URL including its version, " +
            "e.g. https://api.deepseek.com/v1.");
        return new OpenAICompatiblePlatform(settings, baseUrl, [], services.Http);
    }
}
