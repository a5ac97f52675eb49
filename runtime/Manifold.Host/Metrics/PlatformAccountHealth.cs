using Manifold.Host.Platforms;

namespace Manifold.Host.Metrics;

/// <summary>Every account of every platform's pool, in the state routing sees it in at the moment of the scrape.</summary>
public sealed class PlatformAccountHealth(PlatformRegistry platforms) : IAccountHealthSource
{
    public IEnumerable<AccountReading> Accounts()
    {
        foreach (var entry in platforms.All)
        {
            // One snapshot per platform: a pool swapped mid-scrape is read whole, before or after.
            var pool = entry.Accounts;
            var now = pool.Policy.Now;
            foreach (var account in pool.Accounts)
            {
                yield return new AccountReading(entry.Name, account.Id, account.StateAt(now));
            }
        }
    }
}
