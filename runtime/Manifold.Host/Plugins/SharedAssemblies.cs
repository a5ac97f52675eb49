using System.Collections.Frozen;
using System.Reflection;

namespace Manifold.Host.Plugins;

/// <summary>
/// The assemblies a plugin must take from the host's default <see cref="System.Runtime.Loader.AssemblyLoadContext"/>
/// rather than from its own folder. A type crossing the host/plugin boundary is only the same type when
/// both sides load its assembly once, in one context; a private copy would make every cast across the
/// boundary fail, even though the names match.
/// </summary>
internal static class SharedAssemblies
{
    private static readonly FrozenSet<string> s_names = FrozenSet.Create(
        // Assembly simple names are case-insensitive, as the runtime's binder compares them.
        StringComparer.OrdinalIgnoreCase,

        // IPlatformPlugin, IPlatform, the generated DTOs and adapter interfaces: the contract itself.
        "Manifold.Contracts",

        // PlatformServices hands plugins the host's ILoggerFactory.
        "Microsoft.Extensions.Logging.Abstractions",

        // Logging.Abstractions is built against it, and plugins that register or resolve services see the host's IServiceProvider types.
        "Microsoft.Extensions.DependencyInjection.Abstractions",

        // IOptions<T> and friends, so a plugin can bind settings through the host's options system.
        "Microsoft.Extensions.Options",

        // StringValues and IChangeToken appear in the Options and configuration surface above.
        "Microsoft.Extensions.Primitives");

    /// <summary>Whether <paramref name="name"/> must resolve to the host's copy.</summary>
    public static bool Contains(AssemblyName name) => name.Name is { } simpleName && s_names.Contains(simpleName);
}
