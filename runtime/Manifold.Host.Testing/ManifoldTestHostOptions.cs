namespace Manifold.Host.Testing;

/// <summary>What a <see cref="ManifoldTestHost"/> loads and how its platforms are configured.</summary>
public sealed class ManifoldTestHostOptions
{
    /// <summary>
    /// Folders of plugins to load, each holding one <c>&lt;Name&gt;/&lt;Name&gt;.dll</c> per plugin. By default the
    /// folder the package's build step deploys referenced plugin projects to (<see cref="ManifoldTestHost.DeployedPluginsPath"/>).
    /// </summary>
    public List<string> PluginsPaths { get; } = [ManifoldTestHost.DeployedPluginsPath];

    /// <summary>
    /// Configuration, with the keys operators use (<c>Manifold:Platforms:acme:Plugin</c> is the environment variable
    /// <c>Manifold__Platforms__acme__Plugin</c>). Nothing else is read: not appsettings.json, not the environment.
    /// </summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Configures platform <paramref name="name"/>, served by the plugin of kind <paramref name="kind"/>, calling
    /// <paramref name="baseUrl"/> with one account per key in <paramref name="accountKeys"/>.
    /// </summary>
    public ManifoldTestHostOptions AddPlatform(string name, string kind, Uri? baseUrl = null, params string[] accountKeys)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(accountKeys);

        string section = $"Manifold:Platforms:{name}:";
        Settings[section + "Plugin"] = kind;
        if (baseUrl is not null)
        {
            Settings[section + "BaseUrl"] = baseUrl.ToString();
        }
        for (int i = 0; i < accountKeys.Length; i++)
        {
            Settings[$"{section}Accounts:{i}:Key"] = accountKeys[i];
        }
        return this;
    }
}
