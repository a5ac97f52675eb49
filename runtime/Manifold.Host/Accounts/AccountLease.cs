using Manifold.Contracts;
using Manifold.Host.Protocols;

namespace Manifold.Host.Accounts;

/// <summary>
/// An account taken from the pool for one attempt, or why none could be (<see cref="Refusal"/>). The caller reports the
/// outcome once (<see cref="Succeeded"/>, <see cref="Failed"/> or <see cref="Abandoned"/>), which is what the account's
/// health learns from, and releases it when the request is over (<see cref="Release"/>; a stream's last byte), which is
/// what <c>max_concurrency</c> counts. A struct: taking an account allocates nothing.
/// </summary>
public readonly struct AccountLease
{
    private readonly AccountPool? _pool;

    internal AccountLease(AccountPool pool, PoolAccount account, bool trial)
    {
        _pool = pool;
        Account = account;
        IsTrial = trial;
    }

    private AccountLease(ErrorInfo refusal) => Refusal = refusal;

    /// <summary>A platform without accounts (one that needs no credential): nothing to take, nothing to refuse.</summary>
    public static AccountLease None => default;

    /// <summary>Why no account could serve the request; null when one was taken (or the platform has none).</summary>
    public ErrorInfo? Refusal { get; }

    public PoolAccount? Account { get; }

    /// <summary>The credential to send; null when the platform has no accounts.</summary>
    public UpstreamAccount? Upstream => Account?.Upstream;

    /// <summary>This attempt is the one trial of a half-open circuit: its outcome closes or reopens it.</summary>
    public bool IsTrial { get; }

    internal static AccountLease Refuse(ErrorInfo refusal) => new(refusal);

    public void Succeeded()
    {
        if (Account is { } account && account.Health.Succeeded(IsTrial, _pool!.Policy.Now) == HealthChange.Recovered)
        {
            _pool.Policy.Log.Recovered(_pool.Platform, account.Id);
            _pool.Policy.Broadcast?.Recovered(_pool.Platform, account.Id, _pool.Policy);
        }
    }

    public void Failed(Exception exception)
    {
        if (Account is not { } account)
        {
            return;
        }
        var policy = _pool!.Policy;
        switch (account.Health.Failed(exception, IsTrial, policy.Now, policy, account.Upstream))
        {
            case HealthChange.Opened:
                policy.Log.CircuitOpened(_pool.Platform, account.Id, policy.AuthFailureLimit, policy.ProbeInterval);
                policy.Broadcast?.Opened(_pool.Platform, account.Id, account.Health.ProbeAt, policy);
                break;
            case HealthChange.Reopened:
                policy.Log.ProbeFailed(_pool.Platform, account.Id, policy.ProbeInterval);
                policy.Broadcast?.Opened(_pool.Platform, account.Id, account.Health.ProbeAt, policy);
                break;
            case HealthChange.RateLimited:
                policy.Log.RateLimited(_pool.Platform, account.Id, policy.Until(account.Health.CoolUntil));
                policy.Broadcast?.RateLimited(_pool.Platform, account.Id, account.Health.CoolUntil, policy);
                break;
            case HealthChange.Recovered:
                policy.Log.Recovered(_pool.Platform, account.Id);
                policy.Broadcast?.Recovered(_pool.Platform, account.Id, policy);
                break;
        }
    }

    /// <summary>The caller went away: the attempt says nothing about the account (a trial is left for the next request).</summary>
    public void Abandoned()
    {
        if (IsTrial)
        {
            Account!.Health.AbandonProbe();
        }
    }

    public void Release() => Account?.Health.Exit();
}
