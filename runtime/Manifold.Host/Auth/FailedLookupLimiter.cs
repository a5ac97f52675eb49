using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Manifold.Host.Protocols;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Auth;

/// <summary>
/// Holds off a flood of wrong keys per client address, so it cannot starve licensed traffic: each failed licence lookup
/// takes a token from its address's bucket (<see cref="AuthOptions.FailedLookupsPerMinute"/>, refilled evenly), and an
/// address with none left is refused before any lookup (<see cref="RefuseAsync"/>). Only lookups are gated: a key already
/// known good is answered from the cache first and never asks here, so licensed clients pay nothing for this.
/// </summary>
public sealed partial class FailedLookupLimiter
{
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    // Where every address goes that finds the table full of recent failures: they share one budget.
    private readonly Bucket _overflow;
    private readonly TimeProvider _time;
    private readonly ClientAddress _addresses;
    private readonly ILogger<FailedLookupLimiter> _logger;
    private readonly double _capacity;
    private readonly double _tokensPerTick;
    private readonly int _maxAddresses;
    private long _nextSweep;
    private long _refused;
    private long _nextLog;

    public FailedLookupLimiter(IOptions<AuthOptions> options, TimeProvider time, ILogger<FailedLookupLimiter> logger)
    {
        var settings = options.Value;
        _time = time;
        _logger = logger;
        _addresses = new ClientAddress(settings.TrustedProxies);
        _capacity = Math.Max(0, settings.FailedLookupsPerMinute);
        _tokensPerTick = _capacity / 60.0 / time.TimestampFrequency;
        _maxAddresses = Math.Max(1, settings.FailedLookupAddresses);
        _overflow = new Bucket(_capacity, time.GetTimestamp());
    }

    public bool Enabled => _capacity > 0;

    /// <summary>Addresses tracked now; for tests and diagnostics.</summary>
    internal int TrackedCount => _buckets.Count;

    /// <summary>Requests refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The address <paramref name="http"/>'s failures count against; null when the limit is off or there is none.</summary>
    public IPAddress? AddressOf(HttpContext http) => Enabled ? _addresses.Of(http) : null;

    /// <summary>Whether <paramref name="address"/> may have a key looked up; if not, how long until it may.</summary>
    public bool Allows(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address is null)
        {
            return true;
        }
        if (!_buckets.TryGetValue(address, out var bucket))
        {
            if (_buckets.Count < _maxAddresses)
            {
                return true;
            }
            bucket = _overflow;
        }
        var missing = bucket.Missing(_time.GetTimestamp(), _capacity, _tokensPerTick);
        if (missing <= 0)
        {
            return true;
        }
        retryAfter = TimeSpan.FromSeconds(missing / (_tokensPerTick * _time.TimestampFrequency));
        var refused = Interlocked.Increment(ref _refused);
        // One line a minute at most: a flood must not flood the log too.
        var now = _time.GetTimestamp();
        var next = Interlocked.Read(ref _nextLog);
        if (now >= next && Interlocked.CompareExchange(ref _nextLog, now + 60 * _time.TimestampFrequency, next) == next)
        {
            LogRefusing(refused, _capacity);
        }
        return false;
    }

    /// <summary>Counts a failed lookup against <paramref name="address"/>.</summary>
    public void Failed(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }
        var now = _time.GetTimestamp();
        if (!_buckets.TryGetValue(address, out var bucket))
        {
            if (_buckets.Count >= _maxAddresses)
            {
                Sweep(now);
            }
            bucket = _buckets.Count < _maxAddresses ? _buckets.GetOrAdd(address, static (_, state) => new Bucket(state.Capacity, state.Now), (Capacity: _capacity, Now: now)) : _overflow;
        }
        bucket.Take(now, _capacity, _tokensPerTick);
    }

    /// <summary>
    /// Forgets the addresses whose buckets have refilled (no failure for a minute): they would start full anyway. At most
    /// once a second, so a table kept full by live attackers does not cost a scan per failure.
    /// </summary>
    private void Sweep(long now)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now < next || Interlocked.CompareExchange(ref _nextSweep, now + _time.TimestampFrequency, next) != next)
        {
            return;
        }
        foreach (var pair in _buckets)
        {
            if (pair.Value.Missing(now, _capacity, _tokensPerTick) <= -_capacity + 1)
            {
                _buckets.TryRemove(pair);
            }
        }
    }

    /// <summary>How long a refusal is held before it is sent (at most; less when the budget refills sooner).</summary>
    public static readonly TimeSpan RefusalDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The 429 in the caller's protocol, with <c>Retry-After</c> in whole seconds (at least one), sent after
    /// <see cref="RefusalDelay"/>: a refusal is cheap but not free (the request is still read and answered), and a
    /// flooding loop that waits a second for each one sends a request a second instead of thousands. The wait holds no
    /// thread, only the connection the flood opened anyway.
    /// </summary>
    public static async Task RefuseAsync(HttpContext http, IWireProtocol protocol, TimeSpan retryAfter)
    {
        try
        {
            await Task.Delay(retryAfter < RefusalDelay ? retryAfter : RefusalDelay, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await ProtocolResponses.WriteErrorAsync(http, protocol, new ErrorInfo(StatusCodes.Status429TooManyRequests, "rate_limit_error",
            "Too many requests with an incorrect licence key from this address; try again later.", Code: "too_many_failed_lookups"));
    }

    [LoggerMessage(1, LogLevel.Warning, "Refusing licence lookups from client addresses past {PerMinute} failed lookups a minute with 429 (Manifold__Auth__FailedLookupsPerMinute); {Refused} refused since the start, logged once a minute at most")]
    private partial void LogRefusing(long refused, double perMinute);

    /// <summary>A token bucket read and taken under its own lock: failures are the slow path, and this keeps it exact.</summary>
    private sealed class Bucket(double capacity, long now)
    {
        private readonly Lock _lock = new();
        private double _tokens = capacity;
        private long _stamp = now;

        /// <summary>How far the bucket is from holding one token (≤ 0: it holds one; −capacity + 1: full).</summary>
        public double Missing(long now, double capacity, double perTick)
        {
            lock (_lock)
            {
                Refill(now, capacity, perTick);
                return 1 - _tokens;
            }
        }

        public void Take(long now, double capacity, double perTick)
        {
            lock (_lock)
            {
                Refill(now, capacity, perTick);
                _tokens = Math.Max(0, _tokens - 1);
            }
        }

        private void Refill(long now, double capacity, double perTick)
        {
            if (now > _stamp)
            {
                _tokens = Math.Min(capacity, _tokens + (now - _stamp) * perTick);
                _stamp = now;
            }
        }
    }
}
