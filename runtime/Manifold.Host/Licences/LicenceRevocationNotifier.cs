namespace Manifold.Host.Licences;

/// <summary>
/// In-process signal from the store to caches that a licence was revoked, so a revoked key stops working on this
/// instance immediately rather than when its cache entry expires. Other nodes on PostgreSQL hear of it through
/// <see cref="LicenceChangeListener"/> at once; on SQLite they notice within the cache TTL.
/// </summary>
public sealed class LicenceRevocationNotifier
{
    public event Action<long>? Revoked;

    /// <summary>Every cached licence may be stale (the listener for other nodes' changes lost its connection).</summary>
    public event Action? AllChanged;

    public void NotifyRevoked(long licenceId) => Revoked?.Invoke(licenceId);

    /// <summary>A licence's name or policy changed: caches drop it as they would a revoked one, and read it again.</summary>
    public void NotifyChanged(long licenceId) => Revoked?.Invoke(licenceId);

    public void NotifyAllChanged() => AllChanged?.Invoke();
}
