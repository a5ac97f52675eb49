namespace Manifold.Host.Licences;

/// <summary>
/// Persistent licences. Keys go in as plaintext and are hashed at the boundary; only the hash and a short display
/// prefix are stored, and implementations must never store or log the plaintext.
/// </summary>
public interface ILicenceStore
{
    /// <summary>Name given to the licence created from <c>Manifold:BootstrapKey</c>; reserved for it.</summary>
    const string BootstrapName = "bootstrap";

    /// <summary>Creates a licence with a fresh random key. The returned key is not recoverable later.</summary>
    Task<IssuedLicence> CreateAsync(string name, LicencePolicy? policy = null, CancellationToken cancellationToken = default);

    /// <summary>A licence by id, revoked included; null when there is none.</summary>
    Task<Licence?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renames an active licence (when <paramref name="name"/> is set) and replaces its policy. Null when no active licence
    /// has that id. Takes effect on this instance at once; on others sharing the database within the cache TTL.
    /// </summary>
    Task<Licence?> UpdateAsync(long id, string? name, LicencePolicy policy, CancellationToken cancellationToken = default);

    /// <summary>The active (non-revoked) licence for a presented key, or null.</summary>
    Task<Licence?> FindByKeyAsync(string plaintextKey, CancellationToken cancellationToken = default);

    /// <summary>Revokes a licence. False when no active licence has that id. Revocation is permanent.</summary>
    Task<bool> RevokeAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>All licences, revoked included, oldest first.</summary>
    Task<IReadOnlyList<Licence>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes sure the operator-configured key exists as the <see cref="BootstrapName"/> licence (idempotent by hash)
    /// and revokes any earlier bootstrap licence, so changing the configured key rotates it. A configured key is always
    /// active afterwards, even if it was revoked before: configuring it is how an operator gets back in.
    /// </summary>
    Task<Licence> EnsureBootstrapKeyAsync(string plaintextKey, CancellationToken cancellationToken = default);
}
