namespace Manifold.Contracts;

/// <summary>One upstream credential. <see cref="ToString"/> never shows the key, so it is safe to log.</summary>
public sealed class UpstreamAccount(string id, string key)
{
    /// <summary>
    /// A stable, non-secret identifier: the configured <c>Accounts:{i}:Id</c>, else a fingerprint of the key, never a
    /// position in configuration, so reordering accounts does not move work (a media job) to another account.
    /// </summary>
    public string Id { get; } = id;

    /// <summary>The secret. Send it upstream; never log it.</summary>
    public string Key { get; } = key;

    public override string ToString() => $"account {Id}";
}
