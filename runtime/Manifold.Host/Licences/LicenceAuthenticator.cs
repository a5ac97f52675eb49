using System.Collections.Concurrent;

namespace Manifold.Host.Licences;

/// <summary>
/// Turns a presented key into its active licence. On the path of every request, so positive results are cached
/// by key hash: a cache hit costs one SHA-256 and a dictionary probe, with no allocation and no database access.
/// </summary>
/// <remarks>
/// Successes are cached here; failures in a separate, bounded set (<see cref="UnknownKeys"/>), so a flood of random keys
/// can never evict a real one, and a repeated wrong key costs no database lookup. Entries live <see cref="DefaultTimeToLive"/>:
/// revocation through this process's store drops them at once; a change on another node reaches here through
/// <see cref="LicenceChangeListener"/> on PostgreSQL (about as fast as the notification), within the TTL on SQLite.
/// </remarks>
public sealed class LicenceAuthenticator : IDisposable
{
    public const int DefaultMaxEntries = 10_000;
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromSeconds(30);

    private readonly ILicenceStore _store;
    private readonly LicenceRevocationNotifier _revocations;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxEntries;
    private readonly long _ttlTimestampTicks;

    // Keyed by the lowercase-hex hash (the same text as licences.key_hash). The span lookup lets a hit be found
    // from a stack-allocated hash without materialising a string.
    private readonly ConcurrentDictionary<string, LicenceCacheEntry> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LicenceCacheEntry>.AlternateLookup<ReadOnlySpan<char>> _cacheBySpan;
    private readonly UnknownKeys _unknown;

    // Bumped by every revocation. A lookup that started before a revocation must not cache what it read, because
    // the row it saw may be the one just revoked.
    private long _revocationGeneration;

    public LicenceAuthenticator(ILicenceStore store, LicenceRevocationNotifier revocations, TimeProvider timeProvider)
        : this(store, revocations, timeProvider, DefaultMaxEntries, DefaultTimeToLive)
    {
    }

    internal LicenceAuthenticator(
        ILicenceStore store,
        LicenceRevocationNotifier revocations,
        TimeProvider timeProvider,
        int maxEntries,
        TimeSpan timeToLive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        _store = store;
        _revocations = revocations;
        _timeProvider = timeProvider;
        _maxEntries = maxEntries;
        _ttlTimestampTicks = (long)(timeToLive.TotalSeconds * timeProvider.TimestampFrequency);
        _cacheBySpan = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        _unknown = new UnknownKeys(timeProvider, maxEntries, timeToLive);
        _revocations.Revoked += OnRevoked;
        _revocations.AllChanged += OnAllChanged;
    }

    /// <summary>Number of cached licences; for tests and diagnostics.</summary>
    internal int CachedCount => _cache.Count;

    /// <summary>Number of remembered unknown keys; for tests and diagnostics.</summary>
    internal int UnknownCount => _unknown.Count;

    /// <summary>
    /// The licence for <paramref name="presentedKey"/> when it is cached (one SHA-256 and a probe, no allocation): what a
    /// licensed client's request costs. False means a lookup is needed (<see cref="AuthenticateAsync(ReadOnlyMemory{char}, CancellationToken)"/>),
    /// which the caller may refuse first (Auth/FailedLookupLimiter).
    /// </summary>
    public bool TryGetCached(ReadOnlySpan<char> presentedKey, out Licence? licence)
    {
        licence = null;
        if (presentedKey.IsEmpty || presentedKey.Length > LicenceKey.MaxLength)
        {
            return false;
        }
        Span<char> hash = stackalloc char[LicenceKey.HashLength];
        LicenceKey.Hash(presentedKey, hash);
        if (_cacheBySpan.TryGetValue(hash, out var entry) && _timeProvider.GetTimestamp() < entry.ExpiresAt)
        {
            licence = entry.Licence;
            return true;
        }
        return false;
    }

    /// <summary>The active licence for <paramref name="presentedKey"/>, or null when it is missing, unknown or revoked.</summary>
    public ValueTask<Licence?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken = default) =>
        presentedKey is null ? default : AuthenticateAsync(presentedKey.AsMemory(), cancellationToken);

    /// <summary>
    /// As <see cref="AuthenticateAsync(string?, CancellationToken)"/>, for a key sliced out of a header
    /// (see <see cref="LicenceKeyReader.TryRead"/>) without copying it into a new string.
    /// </summary>
    public ValueTask<Licence?> AuthenticateAsync(ReadOnlyMemory<char> presentedKey, CancellationToken cancellationToken = default)
    {
        var key = presentedKey.Span;
        if (key.IsEmpty || key.Length > LicenceKey.MaxLength)
        {
            return default;
        }

        Span<char> hash = stackalloc char[LicenceKey.HashLength];
        LicenceKey.Hash(key, hash);

        if (_cacheBySpan.TryGetValue(hash, out var entry) && _timeProvider.GetTimestamp() < entry.ExpiresAt)
        {
            return new ValueTask<Licence?>(entry.Licence);
        }

        return AuthenticateUncachedAsync(presentedKey, new string(hash), cancellationToken);
    }

    public void Dispose()
    {
        _revocations.Revoked -= OnRevoked;
        _revocations.AllChanged -= OnAllChanged;
    }

    private async ValueTask<Licence?> AuthenticateUncachedAsync(ReadOnlyMemory<char> key, string hash, CancellationToken cancellationToken)
    {
        if (_unknown.Contains(hash))
        {
            return null;
        }
        var generation = Interlocked.Read(ref _revocationGeneration);
        var licence = await _store.FindByKeyAsync(MemoryStrings.AsString(key), cancellationToken).ConfigureAwait(false);
        if (licence is null || licence.IsRevoked)
        {
            // Drop an expired entry for a key that is no longer valid instead of leaving it to linger.
            _cache.TryRemove(hash, out _);
            // Unless a licence changed meanwhile (its change empties the set, and this read may predate it).
            if (Interlocked.Read(ref _revocationGeneration) == generation)
            {
                _unknown.Add(hash);
            }
            return null;
        }

        AddToCache(hash, licence, generation);
        return licence;
    }

    private void AddToCache(string hash, Licence licence, long generation)
    {
        if (Interlocked.Read(ref _revocationGeneration) != generation)
        {
            return;
        }

        if (!_cache.ContainsKey(hash) && _cache.Count >= _maxEntries)
        {
            RemoveExpired();
            if (_cache.Count >= _maxEntries)
            {
                // Full of live entries: serve this key uncached rather than evict someone else's. Entries expire,
                // so room appears within one TTL. Only valid keys get here, so this is not a flooding vector.
                return;
            }
        }

        _cache[hash] = new LicenceCacheEntry(licence, _timeProvider.GetTimestamp() + _ttlTimestampTicks);

        // A revocation may have slipped in between the check above and the insert, and its sweep may have run before
        // our entry existed. Re-checking after the insert closes that window: either we see the new generation here,
        // or the revocation's sweep (which runs after it bumps the generation) sees our entry.
        if (Interlocked.Read(ref _revocationGeneration) != generation)
        {
            _cache.TryRemove(hash, out _);
        }
    }

    private void OnRevoked(long licenceId)
    {
        Interlocked.Increment(ref _revocationGeneration);
        // A change of any licence (this event also carries edits) empties the unknown keys: rare, and never stale.
        _unknown.Clear();
        // Revocations are rare and the cache is bounded, so a scan beats keeping a second id-to-hash index in sync.
        foreach (var (hash, entry) in _cache)
        {
            if (entry.Licence.Id == licenceId)
            {
                _cache.TryRemove(hash, out _);
            }
        }
    }

    private void OnAllChanged()
    {
        Interlocked.Increment(ref _revocationGeneration);
        _cache.Clear();
        _unknown.Clear();
    }

    private void RemoveExpired()
    {
        var now = _timeProvider.GetTimestamp();
        foreach (var pair in _cache)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                // Removes only this exact entry, not one a concurrent lookup just refreshed.
                _cache.TryRemove(pair);
            }
        }
    }
}
