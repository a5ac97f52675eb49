using System.Reflection;
using Manifold.Contracts;

namespace Manifold.Host.Plugins;

/// <summary>A plugin assembly loaded into its own load context, with the plugins it provides.</summary>
public sealed class LoadedPlugin
{
    internal LoadedPlugin(string assemblyPath, Assembly assembly, IReadOnlyList<IPlatformPlugin> plugins, IReadOnlyList<PluginOperation>? operations = null)
    {
        AssemblyPath = assemblyPath;
        Assembly = assembly;
        Plugins = plugins;
        Operations = operations ?? [];
    }

    /// <summary>The full path the plugin's main assembly was loaded from.</summary>
    public string AssemblyPath { get; }

    /// <summary>The plugin's main assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>
    /// One instance of each public, non-abstract <see cref="IPlatformPlugin"/> type in <see cref="Assembly"/>
    /// that has a public parameterless constructor; empty when there is none.
    /// </summary>
    public IReadOnlyList<IPlatformPlugin> Plugins { get; }

    /// <summary>
    /// The operations of the plugin's own specs, from each public <see cref="IPluginEndpoints"/> type in <see cref="Assembly"/>
    /// (the generator makes one per spec); the host maps them at startup. Empty for a plugin without specs.
    /// </summary>
    public IReadOnlyList<PluginOperation> Operations { get; }
}
