using Manifold.Host.Platforms;

namespace Manifold.Host.Accounts;

/// <summary>
/// Keeps every platform's pool in step with the database: loads the accounts at startup, applies an operator's change at
/// once on this node (write, then swap in a new snapshot), and reloads when the version another node bumped differs from the
/// one last loaded (<see cref="AccountPoolSync"/> asks every <see cref="AccountOptions.SyncInterval"/>).
/// </summary>
public sealed class AccountPools(PlatformRegistry platforms, SqliteAccountStore store, AccountKeyProtector protector, HealthPolicy policy, AccountLog log)
{
    // One reload at a time, so an older read never swaps in over a newer one.
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private long _version = -1;

    public SqliteAccountStore Store => store;

    public AccountKeyProtector Protector => protector;

    public HealthPolicy Policy => policy;

    /// <summary>Reads every account and swaps in new snapshots of every platform's pool.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (version, stored) = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var entry in platforms.All)
            {
                var before = entry.Accounts;
                var pool = AccountPoolBuilder.Build(entry.Name, entry.Configured, stored, before, policy, protector);
                entry.ReplaceAccounts(pool);
                if (_version >= 0 && !SameAccounts(before, pool))
                {
                    log.PoolChanged(entry.Name, pool.Count, pool.Accounts.Count(static a => a.Source == AccountSource.Database));
                }
            }
            Volatile.Write(ref _version, version);
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>Reloads when another node changed the accounts since the last load; one small read otherwise.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (await store.ReadVersionAsync(cancellationToken).ConfigureAwait(false) != Volatile.Read(ref _version))
        {
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <paramref name="account"/> and applies it on this node before returning.</summary>
    public async Task SaveAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        await store.SaveAsync(account, cancellationToken).ConfigureAwait(false);
        await ReloadAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Changes a row's settings (its key stays) and applies it on this node before returning; false when there is no row.</summary>
    public async Task<bool> UpdateSettingsAsync(string platform, string id, AccountSettings settings, CancellationToken cancellationToken)
    {
        var updated = await store.UpdateSettingsAsync(platform, id, settings, policy.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await ReloadAsync(CancellationToken.None).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Deletes the row and applies it on this node before returning; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string platform, string id, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteAsync(platform, id, cancellationToken).ConfigureAwait(false);
        await ReloadAsync(CancellationToken.None).ConfigureAwait(false);
        return deleted;
    }

    private static bool SameAccounts(AccountPool before, AccountPool after) =>
        before.Count == after.Count && before.Accounts.All(a => after.Find(a.Id) is { } b && b.Settings == a.Settings && b.Upstream?.Key == a.Upstream?.Key);
}
