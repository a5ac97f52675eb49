using Manifold.Host.Platforms;

namespace Manifold.Host.Metrics;

/// <summary>Every configured account of every platform: cooling while its cool-down lasts, healthy otherwise.</summary>
public sealed class PlatformAccountHealth(PlatformRegistry platforms) : IAccountHealthSource
{
    public IEnumerable<AccountHealth> Accounts()
    {
        foreach (var entry in platforms.All)
        {
            var accounts = entry.Settings.Accounts;
            for (var i = 0; i < accounts.Count; i++)
            {
                yield return new AccountHealth(entry.Name, accounts[i].Id, entry.IsCooling(i) ? AccountState.Cooling : AccountState.Healthy);
            }
        }
    }
}
