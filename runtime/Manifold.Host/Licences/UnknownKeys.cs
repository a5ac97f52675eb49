using System.Collections.Concurrent;

namespace Manifold.Host.Licences;

/// <summary>
/// Hashes of keys recently found unknown or revoked, so a client that keeps sending the same wrong key costs one hash and
/// one probe per request instead of a database lookup. Bounded: when full of live entries a new one is not remembered
/// (its lookup just goes to the database again; the per-address limit, Auth/FailedLookupLimiter, is what holds off a flood
/// of ever-new keys). Emptied whenever any licence changes, so no key is refused for a stale reason.
/// </summary>
/// <remarks>
/// An entry can only ever hide a licence that did not exist when the key was tried. Generated keys are unguessable, so
/// that is the bootstrap key of a node that started after another node refused it, for at most the time to live.
/// </remarks>
internal sealed class UnknownKeys(TimeProvider time, int maxEntries, TimeSpan timeToLive)
{
    private readonly ConcurrentDictionary<string, long> _expiries = new(StringComparer.Ordinal);
    private readonly long _ttlTicks = (long)(timeToLive.TotalSeconds * time.TimestampFrequency);
    private long _nextSweep;

    public int Count => _expiries.Count;

    public bool Contains(string hash) => _expiries.TryGetValue(hash, out var expires) && time.GetTimestamp() < expires;

    public void Add(string hash)
    {
        var now = time.GetTimestamp();
        if (_expiries.Count >= maxEntries && !_expiries.ContainsKey(hash))
        {
            // One sweep a second at most, so a flood that keeps the table full does not pay a scan per request.
            var next = Interlocked.Read(ref _nextSweep);
            if (now < next || Interlocked.CompareExchange(ref _nextSweep, now + time.TimestampFrequency, next) != next)
            {
                return;
            }
            foreach (var pair in _expiries)
            {
                if (pair.Value <= now)
                {
                    _expiries.TryRemove(pair);
                }
            }
            if (_expiries.Count >= maxEntries)
            {
                return;
            }
        }
        _expiries[hash] = now + _ttlTicks;
    }

    public void Clear() => _expiries.Clear();
}
