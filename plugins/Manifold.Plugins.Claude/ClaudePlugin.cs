using Manifold.Contracts;

namespace Manifold.Plugins.Claude;

/// <summary>
/// The <c>claude</c> plugin kind: Anthropic's own API, at api.anthropic.com unless BaseUrl points elsewhere
/// (a proxy, a regional endpoint). As in Anthropic's SDKs, the base URL has no version: paths start with <c>/v1</c>.
/// </summary>
public sealed class ClaudePlugin : IPlatformPlugin
{
    private static readonly Uri DefaultBaseUrl = new("https://api.anthropic.com");

    // Every Claude model id starts with claude- (aliases and dated snapshots alike), so /v1/... finds this platform by model.
    private static readonly string[] DefaultModels = ["claude-*"];

    public string Kind => "claude";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) =>
        new ClaudePlatform(settings, settings.BaseUrl ?? DefaultBaseUrl, DefaultModels, services.Http);
}
