using System.Collections.Frozen;

namespace Manifold.Host.Plugins;

/// <summary>
/// The assemblies of the shared frameworks the host runs on (Microsoft.NETCore.App, Microsoft.AspNetCore.App): their
/// trusted platform assemblies that live in a framework's folder. What the host's own package dependencies bring is not
/// among them, so a plugin may still ship another version of those.
/// </summary>
internal static class FrameworkAssemblies
{
    private static readonly FrozenSet<string> s_names = Find();

    /// <summary>Whether an assembly named <paramref name="simpleName"/> is part of the host's frameworks.</summary>
    public static bool Contains(string simpleName) => s_names.Contains(simpleName);

    private static FrozenSet<string> Find()
    {
        // The host lists its deps files app first, then one per framework, each in that framework's folder.
        HashSet<string> folders = new(
            ((AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string) ?? string.Empty)
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Skip(1)
                .Select(static file => Path.GetDirectoryName(Path.GetFullPath(file))!),
            StringComparer.Ordinal);
        if (folders.Count == 0)
        {
            // Self-contained, the framework sits beside the app and there is no telling it apart: everything beside
            // CoreLib counts, which shares the host's own dependencies too, but never breaks type identity.
            folders.Add(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        }

        return ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => folders.Contains(Path.GetDirectoryName(path)!))
            .Select(static path => Path.GetFileNameWithoutExtension(path))
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
