using System.Reflection;
using Manifold.Contracts;

namespace Manifold.Host.Plugins;

/// <summary>A plugin assembly loaded into its own load context, with the plugins it provides.</summary>
public sealed class LoadedPlugin
{
    internal LoadedPlugin(string assemblyPath, Assembly assembly, IReadOnlyList<IPlatformPlugin> plugins)
    {
        AssemblyPath = assemblyPath;
        Assembly = assembly;
        Plugins = plugins;
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
}
