namespace Manifold.Contracts;

/// <summary>One upstream credential. <see cref="ToString"/> never shows the key, so it is safe to log.</summary>
public sealed class UpstreamAccount(string id, string key)
{
    /// <summary>A stable, non-secret identifier (the index in configuration).</summary>
    public string Id { get; } = id;

    /// <summary>The secret. Send it upstream; never log it.</summary>
    public string Key { get; } = key;

    public override string ToString() => $"account {Id}";
}
