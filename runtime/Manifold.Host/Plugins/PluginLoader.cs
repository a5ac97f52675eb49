using System.Reflection;
using Manifold.Contracts;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Plugins;

/// <summary>Loads platform plugins from disk, each into its own <see cref="PluginLoadContext"/>.</summary>
public static class PluginLoader
{
    /// <summary>
    /// Loads every plugin under <paramref name="pluginsDirectory"/>: <c>&lt;Name&gt;/&lt;Name&gt;.dll</c> for a
    /// plugin in its own folder (with its dependencies beside it), and each loose <c>*.dll</c>.
    /// </summary>
    /// <remarks>
    /// A plugin that cannot be loaded, or that provides no <see cref="IPlatformPlugin"/>, is logged and
    /// skipped so that one bad file does not take the gateway down. A missing directory means no plugins.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Two plugins share a <see cref="IPlatformPlugin.Kind"/>.</exception>
    public static IReadOnlyList<LoadedPlugin> LoadFromDirectory(string pluginsDirectory, ILogger logger) =>
        LoadFromDirectories([pluginsDirectory], logger);

    /// <summary>
    /// Loads every plugin under each of <paramref name="pluginsDirectories"/>, in order, as <see cref="LoadFromDirectory"/>
    /// does for one; a kind must be unique across all of them.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two plugins, in one folder or in two, share a <see cref="IPlatformPlugin.Kind"/>.</exception>
    public static IReadOnlyList<LoadedPlugin> LoadFromDirectories(IEnumerable<string> pluginsDirectories, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(pluginsDirectories);
        ArgumentNullException.ThrowIfNull(logger);

        List<LoadedPlugin> loaded = [];
        foreach (string pluginsDirectory in pluginsDirectories)
        {
            ArgumentException.ThrowIfNullOrEmpty(pluginsDirectory);
            string directory = Path.GetFullPath(pluginsDirectory);
            if (!Directory.Exists(directory))
            {
                PluginLoaderLog.DirectoryMissing(logger, directory);
                continue;
            }

            PluginLoaderLog.LoadingDirectory(logger, directory);
            foreach (string assemblyPath in FindMainAssemblies(directory, logger))
            {
                if (TryLoad(assemblyPath, logger) is { } plugin)
                {
                    loaded.Add(plugin);
                }
            }
        }

        EnsureUniqueKinds(loaded);
        return loaded;
    }

    /// <summary>
    /// Loads the assembly at <paramref name="assemblyPath"/> into a new load context and creates its plugins.
    /// Each call makes a new context, so loading one path twice yields two independent copies.
    /// </summary>
    /// <exception cref="IncompatibleContractsException">The plugin was built against another major version of the contracts.</exception>
    public static LoadedPlugin Load(string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);

        // Load contexts and the dependency resolver both require a rooted path.
        string fullPath = Path.GetFullPath(assemblyPath);
        Assembly assembly = new PluginLoadContext(fullPath).LoadFromAssemblyPath(fullPath);
        // Before any plugin code runs: a plugin of another contracts major would fail at its first call of a changed member.
        ContractsCompatibility.Check(assembly, fullPath);
        return new LoadedPlugin(fullPath, assembly, CreatePlugins(assembly), CreateOperations(assembly));
    }

    private static IEnumerable<string> FindMainAssemblies(string directory, ILogger logger)
    {
        // Sorted, so load order and log output do not depend on the file system's enumeration order.
        foreach (string folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            string mainAssembly = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
            if (File.Exists(mainAssembly))
            {
                yield return mainAssembly;
            }
            else
            {
                PluginLoaderLog.MainAssemblyMissing(logger, folder, Path.GetFileName(mainAssembly));
            }
        }

        foreach (string looseAssembly in Directory.GetFiles(directory, "*.dll").Order(StringComparer.Ordinal))
        {
            yield return looseAssembly;
        }
    }

    private static LoadedPlugin? TryLoad(string assemblyPath, ILogger logger)
    {
        LoadedPlugin plugin;
        try
        {
            plugin = Load(assemblyPath);
        }
        catch (IncompatibleContractsException ex)
        {
            PluginLoaderLog.IncompatibleContracts(logger, assemblyPath, ex.PluginVersion, ex.HostVersion, ex.HostVersion.Major, ex.PluginVersion.Major);
            return null;
        }
        catch (Exception ex)
        {
            // Plugin code is third-party: whatever its loading or its constructors throw costs that plugin, not the host.
            PluginLoaderLog.LoadFailed(logger, assemblyPath, ex);
            return null;
        }

        if (plugin.Plugins.Count == 0)
        {
            PluginLoaderLog.NoPlugins(logger, assemblyPath);
            return null;
        }

        PluginLoaderLog.Loaded(logger, assemblyPath, VersionOf(plugin.Assembly), plugin.Plugins.Select(p => p.Kind));
        return plugin;
    }

    // The version the author gave the plugin (<Version> in its project), which is what an operator compares with a release.
    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";

    private static IPlatformPlugin[] CreatePlugins(Assembly assembly) =>
        [.. assembly.GetExportedTypes().Where(IsPluginType).Select(CreatePlugin)];

    // The shape IPlatformPlugin documents: public (exported), instantiable, with a public parameterless constructor.
    private static bool IsPluginType(Type type) =>
        !type.IsAbstract
        && !type.ContainsGenericParameters
        && typeof(IPlatformPlugin).IsAssignableFrom(type)
        && type.GetConstructor(Type.EmptyTypes) is not null;

    private static PluginOperation[] CreateOperations(Assembly assembly) =>
        [.. assembly.GetExportedTypes().Where(IsEndpointsType).SelectMany(static type => ((IPluginEndpoints)Activator.CreateInstance(type)!).Operations)];

    // The generator's IPluginEndpoints classes: public, sealed, with the implicit parameterless constructor.
    private static bool IsEndpointsType(Type type) =>
        !type.IsAbstract
        && !type.ContainsGenericParameters
        && typeof(IPluginEndpoints).IsAssignableFrom(type)
        && type.GetConstructor(Type.EmptyTypes) is not null;

    private static IPlatformPlugin CreatePlugin(Type type)
    {
        var plugin = (IPlatformPlugin)Activator.CreateInstance(type)!;

        // Configuration selects plugins by kind; one without a kind could never be selected.
        if (string.IsNullOrWhiteSpace(plugin.Kind))
        {
            throw new InvalidOperationException($"{type.FullName} has an empty {nameof(IPlatformPlugin.Kind)}.");
        }

        return plugin;
    }

    private static void EnsureUniqueKinds(List<LoadedPlugin> loaded)
    {
        // Case-insensitive like configuration keys, so "OpenAI" and "openai" cannot both claim one name.
        Dictionary<string, LoadedPlugin> owners = new(StringComparer.OrdinalIgnoreCase);
        foreach (LoadedPlugin candidate in loaded)
        {
            foreach (IPlatformPlugin plugin in candidate.Plugins)
            {
                if (owners.TryGetValue(plugin.Kind, out LoadedPlugin? owner))
                {
                    throw new InvalidOperationException(
                        $"Plugin kind '{plugin.Kind}' is provided by both '{owner.AssemblyPath}' and '{candidate.AssemblyPath}'. Remove one of them.");
                }

                owners.Add(plugin.Kind, candidate);
            }
        }
    }
}
