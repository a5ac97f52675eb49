using Manifold.Contracts;
using Manifold.Host.Accounts;
using Manifold.Host.Tests.Licences;

namespace Manifold.Host.Tests.Accounts;

/// <summary>The pool's choice on its own, with a clock the test moves: what the gateway tests cannot pin down exactly.</summary>
public sealed class AccountPoolTests
{
    private readonly ManualTimeProvider _clock = new();

    private AccountPool Pool(params (string Id, AccountSettings Settings)[] accounts) =>
        new("p", accounts.Select(static a => new PoolAccount(a.Id, new UpstreamAccount(a.Id, "sk-" + a.Id), "…", AccountSource.Config, a.Settings, new AccountHealth())),
            HealthPolicy.Default(_clock));

    private static UpstreamException Status(int status) => new(status, "error", $"Upstream says {status}.", retryable: true);

    /// <summary>One attempt that the upstream answers with <paramref name="status"/>.</summary>
    private static AccountLease Fail(AccountPool pool, int status)
    {
        var lease = pool.Acquire(default);
        lease.Failed(Status(status));
        lease.Release();
        return lease;
    }

    /// <summary>Three authentication failures, each after the last one's rest: the circuit opens.</summary>
    private void OpenCircuit(AccountPool pool, int status)
    {
        for (var i = 0; i < 3; i++)
        {
            Fail(pool, status);
            _clock.Advance(TimeSpan.FromSeconds(31));
        }
    }

    private static string Take(AccountPool pool, in AccountRoute route = default)
    {
        var lease = pool.Acquire(route);
        Assert.Null(lease.Refusal);
        lease.Succeeded();
        lease.Release();
        return lease.Account!.Id;
    }

    [Fact]
    public void Taking_an_account_allocates_nothing_even_with_groups_and_a_session()
    {
        var pool = Pool(("a", new AccountSettings { Group = "g1" }), ("b", new AccountSettings { Group = "g1", Weight = 3 }), ("c", new AccountSettings { Group = "g2" }));
        var plain = default(AccountRoute);
        var narrowed = new AccountRoute(["g1"], groupsFromRequest: false, session: 42, maxRetries: null);
        for (var i = 0; i < 100; i++)
        {
            Take(pool, plain);
            Take(pool, narrowed);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Take(pool, plain);
            Take(pool, narrowed);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_resting_account_is_passed_over_for_a_usable_one_of_a_later_priority_but_tried_when_nothing_else_is_left()
    {
        var pool = Pool(("first", new AccountSettings { Priority = 0 }), ("second", new AccountSettings { Priority = 1 }));
        var failed = Fail(pool, 500);
        var whileResting = Take(pool);
        Fail(pool, 503);
        var bothResting = Take(pool);

        Assert.Equal(("first", "second", "first"), (failed.Account!.Id, whileResting, bothResting));
    }

    [Fact]
    public void A_429_that_names_its_wait_keeps_the_account_out_until_then_and_one_that_names_none_leaves_it_a_last_resort()
    {
        var pool = Pool(("only", AccountSettings.Default));
        var limited = pool.Acquire(default);
        limited.Failed(new UpstreamException(429, "requests", "Slow down.", retryable: true) { RetryAfter = TimeSpan.FromSeconds(20) });
        limited.Release();

        var refused = pool.Acquire(default);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var after = Fail(pool, 429);
        var lastResort = pool.Acquire(default);

        Assert.Equal((429, TimeSpan.FromSeconds(20)), (refused.Refusal!.Status, refused.Refusal.RetryAfter));
        Assert.Null(after.Refusal);
        Assert.Null(lastResort.Refusal);
        Assert.Equal(AccountState.CoolingDown, lastResort.Account!.StateAt(_clock.GetTimestamp()));
    }

    [Fact]
    public void A_half_open_circuit_lets_exactly_one_trial_through_and_its_success_closes_it()
    {
        var pool = Pool(("only", AccountSettings.Default));
        OpenCircuit(pool, 401);
        var open = pool.Acquire(default);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var trial = pool.Acquire(default);
        var duringTrial = pool.Acquire(default);
        trial.Succeeded();
        trial.Release();
        var afterTrial = pool.Acquire(default);

        Assert.Equal(503, open.Refusal!.Status);
        Assert.True(trial.IsTrial);
        Assert.Equal(503, duringTrial.Refusal!.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), duringTrial.Refusal.RetryAfter);
        Assert.Null(afterTrial.Refusal);
        Assert.False(afterTrial.IsTrial);
        Assert.Equal(AccountState.Healthy, afterTrial.Account!.StateAt(_clock.GetTimestamp()));
    }

    [Fact]
    public void An_abandoned_trial_leaves_the_circuit_half_open_for_the_next_request()
    {
        var pool = Pool(("only", AccountSettings.Default));
        OpenCircuit(pool, 403);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var trial = pool.Acquire(default);
        trial.Abandoned();
        trial.Release();
        var next = pool.Acquire(default);

        Assert.True(trial.IsTrial);
        Assert.True(next.IsTrial);
    }

    [Fact]
    public void Max_concurrency_counts_a_lease_until_it_is_released()
    {
        var pool = Pool(("only", new AccountSettings { MaxConcurrency = 2 }));

        var first = pool.Acquire(default);
        var second = pool.Acquire(default);
        var third = pool.Acquire(default);
        first.Release();
        var fourth = pool.Acquire(default);

        Assert.Null(second.Refusal);
        Assert.Equal((429, "rate_limit_exceeded"), (third.Refusal!.Status, third.Refusal.Code));
        Assert.Null(fourth.Refusal);
        Assert.Equal(2, fourth.Account!.Health.InFlight);
    }

    [Fact]
    public void Weighted_rendezvous_keeps_each_session_on_its_account_and_shares_sessions_by_weight()
    {
        var pool = Pool(("light", new AccountSettings { Weight = 1 }), ("heavy", new AccountSettings { Weight = 3 }));
        var counts = new Dictionary<string, int> { ["light"] = 0, ["heavy"] = 0 };

        for (var session = 0; session < 4000; session++)
        {
            var route = new AccountRoute(null, false, StableHashOf($"session-{session}"), null);
            var account = Take(pool, route);
            Assert.Equal(account, Take(pool, route));
            counts[account]++;
        }

        Assert.InRange(counts["heavy"] / 4000.0, 0.70, 0.80);
    }

    private static ulong StableHashOf(string text)
    {
        var request = new Microsoft.AspNetCore.Http.DefaultHttpContext().Request;
        request.Headers["session_id"] = text;
        return SessionKeys.Of(request, null)!.Value;
    }
}
