namespace Manifold.Host.Metrics;

/// <summary>What an upstream account can be, as <c>manifold_account_health</c> shows it.</summary>
public enum AccountState
{
    /// <summary>Taking requests.</summary>
    Healthy,

    /// <summary>Resting after a retryable failure (a 429, a 5xx, unreachable) until its cool-down ends.</summary>
    Cooling,

    /// <summary>Taken out of rotation (by the operator, or after repeated authentication failures).</summary>
    Disabled,
}

/// <summary>One account's health: its platform, its stable id (never its key) and its state.</summary>
public readonly record struct AccountHealth(string Platform, string Account, AccountState State);

/// <summary>
/// The accounts <c>manifold_account_health</c> reports, read at each scrape. The default,
/// <see cref="PlatformAccountHealth"/>, reads the configured platforms' cool-downs; an account pool with more states
/// replaces it by registering its own implementation before the host's (the host adds its default with TryAdd).
/// </summary>
public interface IAccountHealthSource
{
    IEnumerable<AccountHealth> Accounts();
}
