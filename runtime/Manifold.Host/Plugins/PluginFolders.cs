using Manifold.Host.Gateway;

namespace Manifold.Host.Plugins;

/// <summary>
/// The folders plugins are loaded from, in order: the host's own <c>plugins</c> folder (the first-party plugins) unless
/// <see cref="GatewayOptions.BuiltInPlugins"/> is off, then every folder of <see cref="GatewayOptions.PluginsPath"/>.
/// </summary>
/// <remarks>
/// Configured folders add to the built-in one rather than replace it: a default list item would be overwritten by an
/// operator's <c>PluginsPath__0</c>, silently hiding the first-party plugins, so the built-in folder has its own switch.
/// Relative paths are under the application's folder (next to <c>Manifold.Host.dll</c>), like every other relative path
/// Manifold reads, so the result does not depend on the directory the host was started from.
/// </remarks>
public static class PluginFolders
{
    /// <summary>The built-in folder's name under the application's folder.</summary>
    public const string BuiltInFolderName = "plugins";

    private static readonly char[] s_separators = [';', Path.PathSeparator];

    /// <summary>
    /// Reads <c>Manifold:Gateway:PluginsPath</c> as operators may write it: a string (one folder, or several separated by
    /// <c>;</c> or the path separator), a list (<c>PluginsPath:0</c>, <c>PluginsPath:1</c>, …), or both (the string first).
    /// </summary>
    /// <remarks>The options binder sees only one of the two forms, so this reads the section itself.</remarks>
    public static List<string> ReadPaths(IConfigurationSection pluginsPath)
    {
        ArgumentNullException.ThrowIfNull(pluginsPath);
        List<string> paths = [.. Split(pluginsPath.Value)];
        // Children come sorted by the configuration key comparer, which orders "10" after "9".
        foreach (IConfigurationSection item in pluginsPath.GetChildren())
        {
            paths.AddRange(Split(item.Value));
        }
        return paths;
    }

    /// <summary>The absolute folders to load, built-in first, each once.</summary>
    public static IReadOnlyList<string> Resolve(GatewayOptions options, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);

        IEnumerable<string> configured = options.PluginsPath.SelectMany(Split);
        IEnumerable<string> all = options.BuiltInPlugins ? configured.Prepend(BuiltInFolderName) : configured;
        // The same folder named twice (or the built-in one named again) would otherwise load every plugin twice and stop
        // startup with a duplicate-kind error that names one path twice.
        return [.. all
            .Select(path => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, baseDirectory)))
            .Distinct(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(s_separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
