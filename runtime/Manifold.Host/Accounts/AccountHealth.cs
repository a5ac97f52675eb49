using Manifold.Contracts;

namespace Manifold.Host.Accounts;

/// <summary>
/// One account's health on this node: when it may be used again after a failure, its run of authentication failures
/// and circuit, the requests it carries now, and counts for the admin API. Shared by every snapshot of the pool that holds
/// the same account with the same key, so an operator's PATCH of its weight keeps what the node learnt about it.
/// </summary>
/// <remarks>
/// Lock-free: the request path reads a few longs and does one interlocked increment and decrement of
/// <see cref="InFlight"/>. Writes beyond that happen on failures, which are rare and already slow.
/// </remarks>
public sealed class AccountHealth
{
    private long _coolUntil;
    private int _rateLimited;
    private int _authFailures;
    private long _probeAt;
    private int _probing;
    private int _inFlight;
    private long _requests;
    private long _failures;
    private long _lastUsed;
    private AccountError? _lastError;

    /// <summary>Requests it carries now (a stream until its last byte).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    public int ConsecutiveAuthFailures => Volatile.Read(ref _authFailures);

    public AccountError? LastError => Volatile.Read(ref _lastError);

    /// <summary>When it may be used again after its last failure (timestamp ticks); 0 when it is not resting.</summary>
    public long CoolUntil => Volatile.Read(ref _coolUntil);

    /// <summary>When its open circuit lets a trial through (timestamp ticks); 0 while the circuit is closed.</summary>
    public long ProbeAt => Volatile.Read(ref _probeAt);

    public long LastUsed => Volatile.Read(ref _lastUsed);

    /// <summary>Its state at <paramref name="now"/>, before any setting of the account's own (enabled, key) is considered.</summary>
    public AccountState StateAt(long now, int? maxConcurrency)
    {
        var probeAt = Volatile.Read(ref _probeAt);
        if (probeAt != 0)
        {
            return now < probeAt ? AccountState.CircuitOpen : Volatile.Read(ref _probing) != 0 ? AccountState.Probing : AccountState.HalfOpen;
        }
        if (Volatile.Read(ref _coolUntil) > now)
        {
            return Volatile.Read(ref _rateLimited) != 0 ? AccountState.RateLimited : AccountState.CoolingDown;
        }
        return maxConcurrency is { } max && Volatile.Read(ref _inFlight) >= max ? AccountState.Busy : AccountState.Healthy;
    }

    /// <summary>Counts a request in, unless that would take it past <paramref name="maxConcurrency"/>.</summary>
    internal bool TryEnter(int? maxConcurrency)
    {
        var now = Interlocked.Increment(ref _inFlight);
        if (maxConcurrency is { } max && now > max)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }
        return true;
    }

    internal void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Claims the one trial of a half-open circuit; false when another request holds it.</summary>
    internal bool TryStartProbe() => Interlocked.CompareExchange(ref _probing, 1, 0) == 0;

    /// <summary>Lets the trial go without a verdict (the caller left, the plugin threw): the next request probes again.</summary>
    internal void AbandonProbe() => Volatile.Write(ref _probing, 0);

    /// <summary>The upstream answered. A trial that gets here closes the circuit.</summary>
    internal HealthChange Succeeded(bool trial, long now)
    {
        Interlocked.Increment(ref _requests);
        Volatile.Write(ref _lastUsed, now);
        // Written only when set, so the common success dirties no more of the shared cache line than it must.
        if (Volatile.Read(ref _authFailures) != 0)
        {
            Volatile.Write(ref _authFailures, 0);
        }
        return trial ? Close() : HealthChange.None;
    }

    /// <summary>
    /// The upstream refused the call. 401/403 count towards opening the circuit (and reopen it after a failed trial); a 429
    /// rests the account for the upstream's Retry-After (rate-limited) or, without one, for the cool-down; other failures
    /// another account may not have (5xx, unreachable) rest it for the cool-down; anything else is the request's fault and
    /// says nothing about the account.
    /// </summary>
    internal HealthChange Failed(Exception exception, bool trial, long now, HealthPolicy policy, UpstreamAccount? account)
    {
        Interlocked.Increment(ref _requests);
        Volatile.Write(ref _lastUsed, now);
        if (exception is not UpstreamException upstream)
        {
            if (trial)
            {
                AbandonProbe();
            }
            return HealthChange.None;
        }
        Interlocked.Increment(ref _failures);
        var message = account is { Key.Length: > 0 } ? upstream.Message.Replace(account.Key, "[redacted]", StringComparison.Ordinal) : upstream.Message;
        Volatile.Write(ref _lastError, new AccountError(upstream.StatusCode, upstream.Code, message, policy.Time.GetUtcNow()));

        switch (upstream.StatusCode)
        {
            case 401 or 403:
                var failures = Interlocked.Increment(ref _authFailures);
                if (trial || failures >= policy.AuthFailureLimit)
                {
                    Volatile.Write(ref _probeAt, now + Math.Max(1, policy.Ticks(policy.ProbeInterval)));
                    Volatile.Write(ref _probing, 0);
                    return trial ? HealthChange.Reopened : HealthChange.Opened;
                }
                Rest(now + policy.Ticks(policy.CoolDown), rateLimited: false);
                return HealthChange.None;
            case 429:
                // With a wait named, the upstream said when to come back, and is left alone until then; without one, the
                // cool-down is a guess, and the account may still be tried when nothing else is left.
                Rest(now + policy.Ticks(upstream.RetryAfter ?? policy.CoolDown), rateLimited: upstream.RetryAfter is not null);
                // The upstream knew the key: whatever the circuit feared is over.
                return trial ? Close() : upstream.RetryAfter is null ? HealthChange.None : HealthChange.RateLimited;
            case var _ when upstream.Retryable:
                Rest(now + policy.Ticks(policy.CoolDown), rateLimited: false);
                if (trial)
                {
                    AbandonProbe();
                }
                return HealthChange.None;
            default:
                return trial ? Close() : HealthChange.None;
        }
    }

    /// <summary>Another node got a 429 with a Retry-After from this account: rest it as long, unless it already rests longer.</summary>
    internal void RestAsPeerSaid(long until)
    {
        if (until > Volatile.Read(ref _coolUntil))
        {
            Rest(until, rateLimited: true);
        }
    }

    /// <summary>Another node opened this account's circuit: open it here too, until the same probe time.</summary>
    internal void OpenAsPeerSaid(long probeAt)
    {
        Volatile.Write(ref _probeAt, Math.Max(1, probeAt));
        Volatile.Write(ref _probing, 0);
    }

    /// <summary>Another node's trial request succeeded: the circuit closes here too.</summary>
    internal void CloseAsPeerSaid() => Close();

    private void Rest(long until, bool rateLimited)
    {
        Volatile.Write(ref _rateLimited, rateLimited ? 1 : 0);
        Volatile.Write(ref _coolUntil, until);
    }

    private HealthChange Close()
    {
        Volatile.Write(ref _authFailures, 0);
        Volatile.Write(ref _probeAt, 0);
        Volatile.Write(ref _probing, 0);
        return HealthChange.Recovered;
    }
}

/// <summary>What a call's outcome changed, for the log.</summary>
internal enum HealthChange
{
    None,
    RateLimited,
    Opened,
    Reopened,
    Recovered,
}

/// <summary>The last failure an account met, as the admin API shows it (the account's key redacted from the message).</summary>
public sealed record AccountError(int Status, string? Code, string Message, DateTimeOffset At);
