using Manifold.Contracts;
using Manifold.Host.Platforms;

namespace Manifold.Host.Accounts;

/// <summary>
/// Makes a platform's pool snapshot from its configured accounts and its database rows: a configured account with a row
/// takes the row's settings (an operator's override), its key staying the configured one; a database account brings its
/// decrypted key. An account that was in the previous snapshot keeps its health, unless its key changed or it was just
/// re-enabled: both deserve a fresh start.
/// </summary>
internal static class AccountPoolBuilder
{
    public static AccountPool Build(
        string platform, IReadOnlyList<ConfiguredAccount> configured, IReadOnlyList<StoredAccount> stored, AccountPool? previous,
        HealthPolicy policy, AccountKeyProtector? protector)
    {
        var rows = stored.Where(s => s.Platform == platform).ToDictionary(static s => s.Id, StringComparer.Ordinal);
        var accounts = new List<PoolAccount>(configured.Count + rows.Count);
        foreach (var (account, settings) in configured)
        {
            var overlay = rows.Remove(account.Id, out var row) && row.Source == AccountSource.Config ? row : null;
            accounts.Add(Make(account.Id, account, MaskedKeys.Of(account.Key), AccountSource.Config, overlay?.Settings ?? settings, previous, overlay));
        }
        foreach (var row in rows.Values)
        {
            // A leftover override of an account no longer configured names nothing to route to.
            if (row.Source != AccountSource.Database || row.KeyCiphertext is null)
            {
                continue;
            }
            UpstreamAccount? upstream = null;
            var reason = "no encryption key";
            if (protector?.TryUnprotect(platform, row.Id, row.KeyCiphertext, out var key, out reason) == true)
            {
                upstream = new UpstreamAccount(row.Id, key);
            }
            else
            {
                policy.Log.KeyUnreadable(platform, row.Id, reason);
            }
            accounts.Add(Make(row.Id, upstream, row.MaskedKey ?? "…", AccountSource.Database, row.Settings, previous, row));
        }
        return new AccountPool(platform, accounts, policy);
    }

    private static PoolAccount Make(
        string id, UpstreamAccount? upstream, string masked, AccountSource source, AccountSettings settings, AccountPool? previous, StoredAccount? row)
    {
        var before = previous?.Find(id);
        var keep = before is not null && before.Upstream?.Key == upstream?.Key && !(settings.Enabled && !before.Settings.Enabled);
        // The same credential object when the key is unchanged, so a job pinned to it and a request holding it agree.
        var credential = keep && before!.Upstream is { } same ? same : upstream;
        return new PoolAccount(id, credential, masked, source, settings, keep ? before!.Health : new AccountHealth())
        {
            CreatedAt = row?.CreatedAt,
            UpdatedAt = row?.UpdatedAt,
        };
    }
}
