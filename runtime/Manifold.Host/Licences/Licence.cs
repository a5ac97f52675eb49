namespace Manifold.Host.Licences;

/// <summary>A licence (API key) as the rest of the host sees it. It never carries the key or its hash.</summary>
/// <param name="KeyPrefix">First characters of the key, for telling keys apart in lists and logs.</param>
/// <param name="RevokedAt">Null while the licence is active.</param>
public sealed record Licence(long Id, string Name, string KeyPrefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>What the licence may do; unrestricted unless an operator said otherwise.</summary>
    public LicencePolicy Policy { get; init; } = LicencePolicy.Unrestricted;
}
