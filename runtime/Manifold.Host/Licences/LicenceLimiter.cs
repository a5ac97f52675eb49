using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Manifold.Host.Licences;

/// <summary>
/// A licence's <c>limits.rpm</c> and <c>limits.concurrency</c>, on this node: a token bucket that refills one request every
/// 60/rpm seconds (so a minute's allowance is not spent in a burst and then refused for the rest of the minute) and a
/// concurrency limiter held for the whole request, streams included. Neither queues: a request over a limit is answered
/// 429 at once with <c>Retry-After</c>. A licence without limits costs one property read.
/// </summary>
/// <remarks>
/// Node-local by design: a count shared through the database would put a write on every request's path. With several
/// nodes behind a balancer, each allows the licence its limits; divide them by the node count where that matters.
/// </remarks>
public sealed class LicenceLimiter : IDisposable
{
    private readonly ConcurrentDictionary<long, Limiters> _byLicence = new();

    /// <summary>A held permit, released when the request ends; <see cref="Refusal"/> says which limit refused it otherwise.</summary>
    public readonly struct Permit(RateLimitLease? concurrency, string? refusal, TimeSpan retryAfter) : IDisposable
    {
        public static Permit Unlimited => default;

        public bool Granted => refusal is null;

        /// <summary><c>rpm</c> or <c>concurrency</c> when refused.</summary>
        public string? Refusal => refusal;

        public TimeSpan RetryAfter => retryAfter;

        public void Dispose() => concurrency?.Dispose();
    }

    public Permit Acquire(Licence licence)
    {
        if (licence.Policy.Limits is not { } limits || (limits.Rpm is null && limits.Concurrency is null))
        {
            return Permit.Unlimited;
        }
        var limiters = _byLicence.AddOrUpdate(licence.Id, static (_, l) => Limiters.For(l), static (_, current, l) => current.Limits == l ? current : current.Replace(l), limits);
        if (limiters.Rate is { } rate)
        {
            using var lease = rate.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                return new Permit(null, "rpm", lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1));
            }
        }
        if (limiters.Concurrency is { } concurrency)
        {
            var lease = concurrency.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                // A running request's end cannot be foreseen; a second is a polite first retry.
                return new Permit(null, "concurrency", TimeSpan.FromSeconds(1));
            }
            return new Permit(lease, null, TimeSpan.Zero);
        }
        return Permit.Unlimited;
    }

    public void Dispose()
    {
        foreach (var limiters in _byLicence.Values)
        {
            limiters.Rate?.Dispose();
        }
    }

    private sealed record Limiters(LicenceLimits Limits, TokenBucketRateLimiter? Rate, ConcurrencyLimiter? Concurrency)
    {
        /// <summary>
        /// The bucket's refill is a timer, and a timer's period is whole milliseconds: one under 1 ms (above 60 000 rpm)
        /// would be 0, which fires once and never again. Past that, the bucket refills every millisecond, by rpm / 60 000.
        /// </summary>
        private const int RpmPerMillisecond = 60_000;

        public static Limiters For(LicenceLimits limits) => new(
            limits,
            limits.Rpm is { } rpm
                ? new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = rpm,
                    TokensPerPeriod = rpm <= RpmPerMillisecond ? 1 : (int)Math.Round((double)rpm / RpmPerMillisecond),
                    ReplenishmentPeriod = rpm <= RpmPerMillisecond ? TimeSpan.FromMinutes(1) / rpm : TimeSpan.FromMilliseconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : null,
            limits.Concurrency is { } concurrency
                ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrency, QueueLimit = 0 })
                : null);

        /// <summary>
        /// New limits (an operator's PATCH) get new limiters. The old rate limiter stops its timer; the old concurrency
        /// limiter is left to its running requests, whose permits it still releases.
        /// </summary>
        public Limiters Replace(LicenceLimits limits)
        {
            Rate?.Dispose();
            return For(limits);
        }
    }
}
