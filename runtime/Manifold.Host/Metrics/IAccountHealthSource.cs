using Manifold.Host.Accounts;

namespace Manifold.Host.Metrics;

/// <summary>One account's health: its platform, its stable id (never its key) and its state.</summary>
public readonly record struct AccountReading(string Platform, string Account, AccountState State);

/// <summary>
/// The accounts <c>manifold_account_health</c> reports, read at each scrape. The default,
/// <see cref="PlatformAccountHealth"/>, reads each platform's account pool; a test may register its own before the
/// host's (the host adds its default with TryAdd).
/// </summary>
public interface IAccountHealthSource
{
    IEnumerable<AccountReading> Accounts();
}
