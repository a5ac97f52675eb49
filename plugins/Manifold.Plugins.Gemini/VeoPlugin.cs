using Manifold.Contracts;

namespace Manifold.Plugins.Gemini;

/// <summary>
/// The <c>veo</c> plugin kind: Google's Veo video models through the Gemini API's long-running operations, serving OpenAI
/// Videos clients by converting (<see cref="VeoMapping"/>). Same host, key and errors as the <c>gemini</c> kind: BaseUrl is
/// the bare host (generativelanguage.googleapis.com unless it points elsewhere), the key goes as <c>x-goog-api-key</c>.
/// Videos only: it serves no text protocol and answers no model list.
/// </summary>
public sealed class VeoPlugin : IPlatformPlugin
{
    // The Veo family (veo-2.0-generate-001, veo-3.0-*, veo-3.1-*), so that POST /v1/videos finds this platform by model.
    private static readonly string[] DefaultModels = ["veo-*"];

    public string Kind => "veo";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) =>
        new VeoPlatform(settings, settings.BaseUrl ?? GeminiUpstream.DefaultBaseUrl, DefaultModels, services.Http, services.Time, services.ClientUrls);
}
