using Manifold.Contracts;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// The <c>sora</c> plugin kind: any upstream that speaks OpenAI's Videos API (<c>/videos</c>, Sora) as documented, at
/// api.openai.com unless BaseUrl points elsewhere (another provider or gateway serving the same wire format; its base URL
/// includes the version, as for <c>openai</c>). Videos only: it serves no text protocol and answers no model list.
/// </summary>
public sealed class SoraPlugin : IPlatformPlugin
{
    private static readonly Uri DefaultBaseUrl = new("https://api.openai.com/v1");

    // The Sora model family (sora-2, sora-2-pro and their dated snapshots), so that POST /v1/videos finds this platform by model.
    private static readonly string[] DefaultModels = ["sora-*"];

    public string Kind => "sora";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) =>
        new SoraPlatform(settings, settings.BaseUrl ?? DefaultBaseUrl, DefaultModels, services.Http);
}
