namespace Manifold.Host.Accounts;

/// <summary>The account pool's settings, bound from <c>Manifold:Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Manifold:Accounts";

    /// <summary>
    /// The secret the upstream keys of accounts added through the admin API are encrypted with (AES-256-GCM, under a key
    /// derived from it). Without it, Manifold generates one into the data folder (<see cref="AccountKeyProtector.KeyFileName"/>).
    /// Nodes that share a database must share it.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>How many authentication failures (401/403) in a row open an account's circuit: it is then left out until a probe.</summary>
    public int AuthFailureLimit { get; set; } = 3;

    /// <summary>How long an open circuit waits before one trial request may use the account again (half-open).</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a node asks the database whether another node changed the accounts (one tiny read).</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(5);
}
