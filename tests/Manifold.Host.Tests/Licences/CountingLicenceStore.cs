using Manifold.Host.Licences;

namespace Manifold.Host.Tests.Licences;

/// <summary>An in-memory ILicenceStore that counts lookups, to prove when the authenticator does not reach the store.</summary>
internal sealed class CountingLicenceStore : ILicenceStore
{
    private readonly Dictionary<string, Licence> _byKey = new(StringComparer.Ordinal);
    private long _nextId;

    public int FindCalls { get; private set; }

    public Licence Add(string key, string name = "test")
    {
        var licence = new Licence(++_nextId, name, LicenceKey.Prefix(key), DateTimeOffset.UnixEpoch, RevokedAt: null);
        _byKey[key] = licence;
        return licence;
    }

    /// <summary>Revokes in the "database" only, as another instance would: no in-process notification.</summary>
    public void RevokeSilently(string key) => _byKey[key] = _byKey[key] with { RevokedAt = DateTimeOffset.UnixEpoch };

    public Task<Licence?> FindByKeyAsync(string plaintextKey, CancellationToken cancellationToken = default)
    {
        FindCalls++;
        return Task.FromResult(_byKey.TryGetValue(plaintextKey, out var licence) && !licence.IsRevoked ? licence : null);
    }

    public Task<IssuedLicence> CreateAsync(string name, LicencePolicy? policy = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Licence?> GetAsync(long id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Licence?> UpdateAsync(long id, string? name, LicencePolicy policy, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> RevokeAsync(long id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<Licence>> ListAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Licence> EnsureBootstrapKeyAsync(string plaintextKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
