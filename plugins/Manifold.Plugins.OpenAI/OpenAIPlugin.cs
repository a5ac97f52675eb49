using Manifold.Contracts;

namespace Manifold.Plugins.OpenAI;

/// <summary>The <c>openai</c> plugin kind: OpenAI's own API, at api.openai.com unless BaseUrl points elsewhere (a proxy, a regional endpoint).</summary>
public sealed class OpenAIPlugin : IPlatformPlugin
{
    private static readonly Uri DefaultBaseUrl = new("https://api.openai.com/v1");

    // OpenAI's model families, so that /v1/... finds this platform by model without configuration.
    private static readonly string[] DefaultModels =
    [
        "gpt-*", "o1*", "o3*", "o4*", "chatgpt-*", "codex-*", "gpt-image-*", "dall-e-*", "sora-*", "text-embedding-*", "omni-*",
    ];

    public string Kind => "openai";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) =>
        new OpenAIPlatform(settings, settings.BaseUrl ?? DefaultBaseUrl, DefaultModels, services.Http);
}
