using Manifold.Contracts;

namespace Manifold.Host.Accounts;

/// <summary>
/// An account as one snapshot of a platform's pool holds it: its credential, its settings (immutable; a change makes a new
/// snapshot) and its <see cref="Health"/> (shared with the snapshots before and after).
/// </summary>
public sealed class PoolAccount
{
    public PoolAccount(string id, UpstreamAccount? upstream, string maskedKey, AccountSource source, AccountSettings settings, AccountHealth health)
    {
        Id = id;
        Upstream = upstream;
        MaskedKey = maskedKey;
        Source = source;
        Settings = settings;
        Health = health;
        RendezvousSeed = StableHash.Of(id);
    }

    public string Id { get; }

    /// <summary>The credential the plugin sends; null when the stored key could not be decrypted (never chosen then).</summary>
    public UpstreamAccount? Upstream { get; }

    /// <summary><c>sk-…abcd</c>: enough to tell keys apart, never enough to use one.</summary>
    public string MaskedKey { get; }

    public AccountSource Source { get; }

    public AccountSettings Settings { get; }

    public AccountHealth Health { get; }

    /// <summary>When the database row was made and last changed; null for a configured account no one has overridden.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The account's half of a sticky session's rendezvous hash, computed once per snapshot.</summary>
    internal ulong RendezvousSeed { get; }

    /// <summary>Its state at <paramref name="now"/>, its settings included.</summary>
    public AccountState StateAt(long now) =>
        !Settings.Enabled ? AccountState.Disabled
        : Upstream is null ? AccountState.KeyUnreadable
        : Health.StateAt(now, Settings.MaxConcurrency);

    public override string ToString() => $"account {Id}";
}
