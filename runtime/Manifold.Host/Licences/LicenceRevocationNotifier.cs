namespace Manifold.Host.Licences;

/// <summary>
/// In-process signal from the store to caches that a licence was revoked, so a revoked key stops working on this
/// instance immediately rather than when its cache entry expires. Other instances sharing the database still
/// notice within the cache TTL.
/// </summary>
public sealed class LicenceRevocationNotifier
{
    public event Action<long>? Revoked;

    public void NotifyRevoked(long licenceId) => Revoked?.Invoke(licenceId);

    /// <summary>A licence's name or policy changed: caches drop it as they would a revoked one, and read it again.</summary>
    public void NotifyChanged(long licenceId) => Revoked?.Invoke(licenceId);
}
