using Manifold.Contracts;
using Manifold.Conversion.Pipeline;
using Manifold.Host.Accounts;
using Manifold.Host.Conversion;

namespace Manifold.Host.Platforms;

/// <summary>
/// A running platform: the plugin's object, its settings, and its account pool (<see cref="Accounts"/>), a snapshot that
/// <see cref="AccountPools"/> swaps whole when an operator changes an account.
/// </summary>
public sealed class PlatformEntry
{
    private readonly ModelPattern[] _models;
    private AccountPool _accounts;

    /// <summary>A platform whose configured accounts all have the default settings, with the default health rules (tests).</summary>
    internal PlatformEntry(IPlatform platform, PlatformSettings settings, TimeProvider time)
        : this(platform, settings, null, HealthPolicy.Default(time))
    {
    }

    /// <param name="routing">The routing settings of each configured account, in the order of <see cref="PlatformSettings.Accounts"/>; null for defaults.</param>
    internal PlatformEntry(IPlatform platform, PlatformSettings settings, IReadOnlyList<AccountSettings>? routing, HealthPolicy policy)
    {
        Platform = platform;
        Settings = settings;
        var models = settings.Models.Count > 0 ? settings.Models : platform.DefaultModels;
        _models = models.Where(static m => !string.IsNullOrWhiteSpace(m)).Select(static m => new ModelPattern(m.Trim())).ToArray();
        Configured = [.. settings.Accounts.Select((account, i) => new ConfiguredAccount(account, routing?[i] ?? AccountSettings.Default))];
        _accounts = AccountPoolBuilder.Build(settings.Name, Configured, [], null, policy, protector: null);
        HubTarget = ProtocolBridging.TargetFor(platform);
        HubCounter = ProtocolBridging.CounterFor(platform);
    }

    /// <summary>The platform's own token counter, for clients whose protocol it does not speak; null when it has none (estimated).</summary>
    public IHubTokenCounter? HubCounter { get; }

    /// <summary>
    /// The platform in hub terms, for callers whose protocol it does not speak natively; null when it speaks
    /// no protocol Manifold converts to (e.g. a media-only platform).
    /// </summary>
    public IHubTarget? HubTarget { get; }

    /// <summary>
    /// Whether <typeparamref name="TAdapter"/>'s clients can be served here: natively, converted through
    /// <see cref="HubTarget"/> when <typeparamref name="TAdapter"/> is a protocol Manifold converts from, or, for a model list,
    /// by a view of the platform's OpenAI-shaped list.
    /// </summary>
    public bool CanServe<TAdapter>()
        where TAdapter : class =>
        Platform is TAdapter || Tasks.MediaTasks.ServesThrough<TAdapter>(Platform) || (HubTarget is not null && ProtocolBridging.Inbound<TAdapter>() is not null) || ModelListView<TAdapter>() is not null;

    /// <summary>The platform as <typeparamref name="TAdapter"/>, a model list it does not serve natively: a view of its OpenAI-shaped list; null when it has none.</summary>
    public TAdapter? ModelListView<TAdapter>()
        where TAdapter : class => ProtocolBridging.ModelListView<TAdapter>(Platform);

    /// <summary>True when an operator (or plugin) listed <paramref name="model"/> by its exact name: then it is never read as name + suffix.</summary>
    internal bool ListsExactly(string model)
    {
        foreach (var pattern in _models)
        {
            if (!pattern.IsPrefix && pattern.Matches(model))
            {
                return true;
            }
        }
        return false;
    }

    public string Name => Settings.Name;

    public IPlatform Platform { get; }

    public PlatformSettings Settings { get; }

    /// <summary>The models it serves as configured (or its plugin's defaults): exact names and <c>prefix*</c>.</summary>
    public IReadOnlyList<string> ModelPatterns => [.. _models.Select(static m => m.Text)];

    /// <summary>The accounts as configuration lists them, before any override from the database.</summary>
    internal IReadOnlyList<ConfiguredAccount> Configured { get; }

    /// <summary>The account pool now. Read it once per attempt: a change swaps in a new snapshot, and the old one stays valid.</summary>
    public AccountPool Accounts => Volatile.Read(ref _accounts);

    /// <summary>Swaps in a new snapshot of the pool; requests that took an account from the old one keep it.</summary>
    internal void ReplaceAccounts(AccountPool pool) => Volatile.Write(ref _accounts, pool);

    /// <summary>How many different accounts a request may try.</summary>
    public int AccountCount => Accounts.Count;

    /// <summary>How specifically this platform serves <paramref name="model"/>; -1 when it does not.</summary>
    internal int MatchModel(string model)
    {
        var best = -1;
        foreach (var pattern in _models)
        {
            best = Math.Max(best, pattern.Match(model));
        }
        return best;
    }

    /// <summary>
    /// The account with the stable id <paramref name="id"/> (a job's own account), whatever its state, or null when it is no
    /// longer in the pool or its key cannot be read.
    /// </summary>
    public UpstreamAccount? FindAccount(string id) => Accounts.Find(id)?.Upstream;
}
