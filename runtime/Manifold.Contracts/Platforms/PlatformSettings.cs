namespace Manifold.Contracts;

/// <summary>What an operator configured for one platform (<c>Manifold:Platforms:&lt;name&gt;</c>).</summary>
public sealed class PlatformSettings
{
    public required string Name { get; init; }

    /// <summary>The plugin kind, e.g. <c>openai</c>.</summary>
    public required string Plugin { get; init; }

    /// <summary>The upstream base URL as the upstream's official SDK defines it (OpenAI's includes <c>/v1</c>).</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Upstream credentials, tried in turn.</summary>
    public IReadOnlyList<UpstreamAccount> Accounts { get; init; } = [];

    /// <summary>Models served; exact names or <c>*</c>-suffixed prefixes. Empty means the plugin's defaults.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Any other keys under the platform's section, for plugin-specific settings.</summary>
    public IReadOnlyDictionary<string, string?> Options { get; init; } = new Dictionary<string, string?>();
}
