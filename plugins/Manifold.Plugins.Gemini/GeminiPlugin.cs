using Manifold.Contracts;

namespace Manifold.Plugins.Gemini;

/// <summary>
/// The <c>gemini</c> plugin kind: Google's Gemini API, at generativelanguage.googleapis.com unless BaseUrl points
/// elsewhere (a proxy). As in Google's SDKs the base URL has no version (<c>/v1beta</c> is added); a BaseUrl that
/// already ends in a version keeps it.
/// </summary>
public sealed class GeminiPlugin : IPlatformPlugin
{
    // Google's model families served by generateContent, so /v1/... and /v1beta/models/... find this platform by model.
    private static readonly string[] DefaultModels = ["gemini-*", "gemma-*"];

    public string Kind => "gemini";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) =>
        new GeminiPlatform(settings, settings.BaseUrl ?? GeminiUpstream.DefaultBaseUrl, DefaultModels, services.Http);
}
