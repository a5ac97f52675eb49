namespace Manifold.Host.Plugins;

/// <summary>A plugin built against a major version of Manifold.Contracts other than the host's (see <see cref="ContractsCompatibility"/>).</summary>
public sealed class IncompatibleContractsException(string assemblyPath, Version pluginVersion, Version hostVersion)
    : Exception($"Plugin '{assemblyPath}' was built against Manifold.Contracts {pluginVersion.Major}.x ({pluginVersion}), "
        + $"but this host provides Manifold.Contracts {hostVersion.Major}.x ({hostVersion}). Rebuild the plugin against "
        + $"Manifold.Contracts {hostVersion.Major}.x, or run it on a Manifold whose contracts are {pluginVersion.Major}.x.")
{
    public string AssemblyPath { get; } = assemblyPath;

    /// <summary>The contracts version the plugin references.</summary>
    public Version PluginVersion { get; } = pluginVersion;

    /// <summary>The version of the host's contracts.</summary>
    public Version HostVersion { get; } = hostVersion;
}
