using Manifold.Contracts.Upstream;
using Manifold.Host.Accounts;
using Manifold.Host.Platforms;

namespace Manifold.Host.Gateway;

/// <summary>
/// Every upstream account key Manifold holds, as one <see cref="CredentialScrubber"/>, for what no single platform owns:
/// the bytes of every upstream response (masked as they are read, <see cref="CredentialScrubbingStream"/>), its headers,
/// and every error a client is sent. Rebuilt only when a platform's account snapshot changes; a lookup is one reference
/// comparison per platform.
/// </summary>
public sealed class UpstreamCredentials(IServiceProvider services)
{
    private PlatformRegistry? _registry;
    private Snapshot? _snapshot;

    /// <summary>The scrubber over the keys of every platform's current accounts.</summary>
    public CredentialScrubber Current
    {
        get
        {
            // Resolved on first use: the registry's plugins are built with the HTTP client whose handler asks for this.
            var platforms = (_registry ??= services.GetRequiredService<PlatformRegistry>()).All;
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot is not null && snapshot.Matches(platforms))
            {
                return snapshot.Scrubber;
            }
            var pools = platforms.Select(static p => p.Accounts).ToArray();
            snapshot = new Snapshot(pools, new CredentialScrubber(pools.SelectMany(static p => p.Accounts).Select(static a => a.Upstream?.Key)));
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot.Scrubber;
        }
    }

    private sealed record Snapshot(AccountPool[] Pools, CredentialScrubber Scrubber)
    {
        public bool Matches(IReadOnlyList<PlatformEntry> platforms)
        {
            if (platforms.Count != Pools.Length)
            {
                return false;
            }
            for (var i = 0; i < Pools.Length; i++)
            {
                if (!ReferenceEquals(platforms[i].Accounts, Pools[i]))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
