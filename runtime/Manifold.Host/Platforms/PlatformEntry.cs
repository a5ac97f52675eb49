using Manifold.Contracts;
using Manifold.Conversion.Pipeline;
using Manifold.Host.Conversion;

namespace Manifold.Host.Platforms;

/// <summary>
/// A running platform: the plugin's object, its settings, and the state of its account pool.
/// Accounts rotate round-robin; one that failed in a retryable way rests for a cool-down.
/// </summary>
public sealed class PlatformEntry
{
    private readonly ModelPattern[] _models;
    private readonly long[] _coolUntil;
    private readonly TimeProvider _time;
    private int _next = -1;

    internal PlatformEntry(IPlatform platform, PlatformSettings settings, TimeProvider time)
    {
        Platform = platform;
        Settings = settings;
        _time = time;
        var models = settings.Models.Count > 0 ? settings.Models : platform.DefaultModels;
        _models = models.Where(static m => !string.IsNullOrWhiteSpace(m)).Select(static m => new ModelPattern(m.Trim())).ToArray();
        _coolUntil = new long[settings.Accounts.Count];
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
        Platform is TAdapter || (HubTarget is not null && ProtocolBridging.Inbound<TAdapter>() is not null) || ModelListView<TAdapter>() is not null;

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

    /// <summary>How many different accounts a request may try.</summary>
    public int AccountCount => Settings.Accounts.Count;

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

    /// <summary>The next account to try, preferring those not cooling down; null when the platform has none.</summary>
    public UpstreamAccount? NextAccount()
    {
        var accounts = Settings.Accounts;
        if (accounts.Count == 0)
        {
            return null;
        }
        var now = _time.GetTimestamp();
        var start = Interlocked.Increment(ref _next);
        for (var i = 0; i < accounts.Count; i++)
        {
            var index = (int)((uint)(start + i) % (uint)accounts.Count);
            if (Volatile.Read(ref _coolUntil[index]) <= now)
            {
                return accounts[index];
            }
        }
        // Every account is resting: still try one rather than fail without asking.
        return accounts[(int)((uint)start % (uint)accounts.Count)];
    }

    /// <summary>The account with the stable id <paramref name="id"/> (a job's own account), or null when it is no longer configured.</summary>
    public UpstreamAccount? FindAccount(string id)
    {
        foreach (var account in Settings.Accounts)
        {
            if (account.Id == id)
            {
                return account;
            }
        }
        return null;
    }

    /// <summary>Whether the account at <paramref name="index"/> of <see cref="PlatformSettings.Accounts"/> is resting after a failure.</summary>
    public bool IsCooling(int index) => Volatile.Read(ref _coolUntil[index]) > _time.GetTimestamp();

    /// <summary>Rests an account after a retryable failure (429, 5xx, unreachable, rejected credentials).</summary>
    public void CoolDown(UpstreamAccount account, TimeSpan duration)
    {
        var accounts = Settings.Accounts;
        for (var i = 0; i < accounts.Count; i++)
        {
            if (ReferenceEquals(accounts[i], account))
            {
                var until = _time.GetTimestamp() + (long)(duration.TotalSeconds * _time.TimestampFrequency);
                Volatile.Write(ref _coolUntil[i], until);
                return;
            }
        }
    }
}
