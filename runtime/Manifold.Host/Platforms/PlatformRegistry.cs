using System.Collections.Frozen;
using Manifold.Contracts;
using Manifold.Host.Accounts;
using Manifold.Host.Plugins;

namespace Manifold.Host.Platforms;

/// <summary>
/// The configured platforms, created once at startup from the loaded plugins. Lookups by name and by
/// model are lock-free reads of immutable data (each platform's account pool is swapped whole, see <see cref="AccountPools"/>).
/// </summary>
public sealed class PlatformRegistry
{
    private readonly FrozenDictionary<string, PlatformEntry> _byName;

    internal PlatformRegistry(IReadOnlyList<PlatformEntry> entries, IReadOnlyList<LoadedPlugin>? plugins = null)
    {
        All = entries;
        Plugins = plugins ?? [];
        _byName = entries.ToFrozenDictionary(static e => e.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every platform, in configuration order.</summary>
    public IReadOnlyList<PlatformEntry> All { get; }

    /// <summary>The plugins the platforms were made from (their operations are mapped at startup, see PluginEndpointMapper).</summary>
    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    public bool TryGet(string name, out PlatformEntry entry) => _byName.TryGetValue(name, out entry!);

    /// <summary>
    /// The platform that serves <paramref name="model"/> to <typeparamref name="TAdapter"/>'s clients most
    /// specifically, natively or by conversion.
    /// </summary>
    public PlatformEntry? ResolveModel<TAdapter>(string model, Func<PlatformEntry, bool>? allowed = null)
        where TAdapter : class
    {
        PlatformEntry? best = null;
        var bestScore = -1;
        foreach (var entry in All)
        {
            if (!entry.CanServe<TAdapter>() || (allowed is not null && !allowed(entry)))
            {
                continue;
            }
            var score = entry.MatchModel(model);
            if (score > bestScore)
            {
                best = entry;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>Creates every configured platform with the plugin of its kind; a bad configuration fails startup with a clear message.</summary>
    internal static PlatformRegistry Create(
        IReadOnlyList<ConfiguredPlatform> configured, IReadOnlyList<LoadedPlugin> plugins, PlatformServices services, HealthPolicy health, ILogger logger)
    {
        var kinds = new Dictionary<string, IPlatformPlugin>(StringComparer.OrdinalIgnoreCase);
        foreach (var plugin in plugins.SelectMany(static p => p.Plugins))
        {
            kinds[plugin.Kind] = plugin;
        }

        var entries = new List<PlatformEntry>();
        foreach (var (platformSettings, routing) in configured)
        {
            if (!kinds.TryGetValue(platformSettings.Plugin, out var plugin))
            {
                var known = kinds.Count == 0 ? "none (is the plugins folder empty?)" : string.Join(", ", kinds.Keys.Order(StringComparer.Ordinal));
                throw new InvalidOperationException(
                    $"Platform '{platformSettings.Name}' names plugin '{platformSettings.Plugin}', which is not loaded. Loaded plugin kinds: {known}.");
            }
            var platform = plugin.CreatePlatform(platformSettings, services);
            entries.Add(new PlatformEntry(platform, platformSettings, routing, health));
            logger.LogInformation(
                "Platform {Platform} uses plugin {Plugin} with {AccountCount} account(s)", platformSettings.Name, platformSettings.Plugin, platformSettings.Accounts.Count);
        }
        return new PlatformRegistry(entries, plugins);
    }
}
