using System.Collections.Concurrent;

namespace Manifold.Host.Licences;

/// <summary>
/// A licence's <c>limits.rpm</c> and <c>limits.concurrency</c>, on this node: a token bucket that refills continuously at
/// rpm/60 requests a second (so a minute's allowance is not spent in a burst and then refused for the rest of the minute)
/// and a count of requests in flight, held for the whole request, streams included. Neither queues: a request over a limit
/// is answered 429 at once with <c>Retry-After</c>. A licence without limits costs one property read.
/// </summary>
/// <remarks>
/// Node-local by design: a count shared through the database would put a write on every request's path. With several
/// nodes behind a balancer, each allows the licence its limits; divide them by the node count where that matters.
/// Both are a few instructions under no lock or a short one, with no timer: System.Threading.RateLimiting's token bucket
/// refills from a timer whose period is 60/rpm seconds (1 ms above 60 000 rpm), and a timer waking a pool thread a
/// thousand times a second measured as a visible share of the gateway's CPU per request.
/// </remarks>
public sealed class LicenceLimiter : IDisposable
{
    private readonly ConcurrentDictionary<long, Limiters> _byLicence = new();

    /// <summary>A held permit, released when the request ends; <see cref="Refusal"/> says which limit refused it otherwise.</summary>
    public readonly struct Permit : IDisposable
    {
        private readonly InFlight? _held;

        internal Permit(InFlight? held, string? refusal, TimeSpan retryAfter)
        {
            _held = held;
            Refusal = refusal;
            RetryAfter = retryAfter;
        }

        public static Permit Unlimited => default;

        public bool Granted => Refusal is null;

        /// <summary><c>rpm</c> or <c>concurrency</c> when refused.</summary>
        public string? Refusal { get; }

        public TimeSpan RetryAfter { get; }

        public void Dispose() => _held?.Leave();
    }

    public Permit Acquire(Licence licence)
    {
        if (licence.Policy.Limits is not { } limits || (limits.Rpm is null && limits.Concurrency is null))
        {
            return Permit.Unlimited;
        }
        // The common case reads: a licence's limiters are made once, and again only when its limits change.
        if (!_byLicence.TryGetValue(licence.Id, out var limiters) || !limiters.Serve(limits))
        {
            limiters = _byLicence.AddOrUpdate(licence.Id, static (_, l) => Limiters.For(l), static (_, current, l) => current.Serve(l) ? current : Limiters.For(l), limits);
        }
        if (limiters.Rate is { } rate && !rate.TryTake(out var wait))
        {
            return new Permit(null, "rpm", wait);
        }
        if (limiters.Concurrency is { } concurrency)
        {
            if (!concurrency.TryEnter())
            {
                // A running request's end cannot be foreseen; a second is a polite first retry.
                return new Permit(null, "concurrency", TimeSpan.FromSeconds(1));
            }
            return new Permit(concurrency, null, TimeSpan.Zero);
        }
        return Permit.Unlimited;
    }

    /// <summary>Nothing to free (no timers); kept so that callers may own it with <c>using</c>.</summary>
    public void Dispose()
    {
    }

    private sealed record Limiters(LicenceLimits Limits, RpmBucket? Rate, InFlight? Concurrency)
    {
        public static Limiters For(LicenceLimits limits) => new(
            limits,
            limits.Rpm is { } rpm ? new RpmBucket(rpm) : null,
            limits.Concurrency is { } concurrency ? new InFlight(concurrency) : null);

        /// <summary>Whether these limiters were made for <paramref name="limits"/> (the same policy object, or an equal one).</summary>
        public bool Serve(LicenceLimits limits) => ReferenceEquals(Limits, limits) || Limits == limits;
    }
}
