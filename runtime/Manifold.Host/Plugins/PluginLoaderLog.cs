using Microsoft.Extensions.Logging;

namespace Manifold.Host.Plugins;

/// <summary><see cref="PluginLoader"/>'s log messages, source-generated so that they cost nothing when disabled.</summary>
internal static partial class PluginLoaderLog
{
    // A warning: every folder is named by configuration (the built-in one included), so a missing one is a typo or a lost deployment.
    [LoggerMessage(1, LogLevel.Warning, "Plugins directory '{Directory}' does not exist; no platform plugins are loaded from it.")]
    public static partial void DirectoryMissing(ILogger logger, string directory);

    [LoggerMessage(2, LogLevel.Warning, "Skipped plugin folder '{Folder}': it has no main assembly '{MainAssembly}' named after the folder.")]
    public static partial void MainAssemblyMissing(ILogger logger, string folder, string mainAssembly);

    [LoggerMessage(3, LogLevel.Warning, "Skipped plugin '{AssemblyPath}': it could not be loaded.")]
    public static partial void LoadFailed(ILogger logger, string assemblyPath, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Skipped plugin '{AssemblyPath}': it has no public, non-abstract IPlatformPlugin type with a public parameterless constructor.")]
    public static partial void NoPlugins(ILogger logger, string assemblyPath);

    // The generator formats an enumerable as a comma-separated list, and only when the level is enabled.
    [LoggerMessage(5, LogLevel.Information, "Loaded plugin '{AssemblyPath}' version {Version} providing kinds: {Kinds}.")]
    public static partial void Loaded(ILogger logger, string assemblyPath, string version, IEnumerable<string> kinds);

    [LoggerMessage(6, LogLevel.Information, "Loading plugins from '{Directory}'.")]
    public static partial void LoadingDirectory(ILogger logger, string directory);

    [LoggerMessage(7, LogLevel.Warning, "Skipped plugin '{AssemblyPath}': it was built against Manifold.Contracts {PluginContractsVersion}, and this host provides Manifold.Contracts {HostContractsVersion}; a plugin must be built against the host's major version. Rebuild it against Manifold.Contracts {HostMajor}.x, or run it on a Manifold whose contracts are {PluginMajor}.x.")]
    public static partial void IncompatibleContracts(
        ILogger logger, string assemblyPath, Version pluginContractsVersion, Version hostContractsVersion, int hostMajor, int pluginMajor);
}
