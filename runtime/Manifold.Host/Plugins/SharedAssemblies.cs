using System.Collections.Frozen;
using System.Reflection;

namespace Manifold.Host.Plugins;

/// <summary>
/// The assemblies a plugin must take from the host's default <see cref="System.Runtime.Loader.AssemblyLoadContext"/>
/// rather than from its own folder. A type crossing the host/plugin boundary is only the same type when
/// both sides load its assembly once, in one context; a private copy would make every cast across the
/// boundary fail, even though the names match.
/// </summary>
/// <remarks>
/// Two kinds, both preferred to any copy the plugin ships, whatever version it was built against:
/// <list type="bullet">
/// <item>The list below: the contracts and the libraries their signatures expose, which are packages, not framework.</item>
/// <item>Every assembly of the host's shared frameworks (<see cref="FrameworkAssemblies"/>). The contracts expose
/// framework types too (JsonElement in every DTO's AdditionalProperties, HttpClient, Stream), and a plugin may ship
/// its own copy of a framework assembly, for example by referencing a newer System.Text.Json package: its .deps.json
/// then names the copy and the plugin's resolver would load it, and the plugin's JsonElement would no longer be the
/// host's, so its first touch of a DTO throws MissingMethodException. The host's copy is older than the one the plugin
/// was built against, but the framework keeps its API from one version to the next; what the newer one only adds is
/// what such a plugin cannot use. (tests/Plugins/Manifold.TestPlugin.OwnJson proves the exchange.)</item>
/// </list>
/// Everything else a plugin ships, its own dependencies and other versions of the host's packages, stays private to it.
/// </remarks>
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
    public static bool Contains(AssemblyName name) =>
        name.Name is { } simpleName && (s_names.Contains(simpleName) || FrameworkAssemblies.Contains(simpleName));
}
