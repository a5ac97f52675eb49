using System.Net;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;
using static Manifold.Host.Tests.Accounts.AccountsGateway;

namespace Manifold.Host.Tests.Accounts;

/// <summary>
/// What the pool learns from the upstream, through the real host with a clock the test moves: a 429 rests the account for
/// the upstream's Retry-After; repeated 401s open its circuit, and a trial request after the probe interval closes or
/// reopens it; the admin API shows each state.
/// </summary>
public sealed class AccountHealthTests
{
    private static string State(JsonNode account) => account["health"]!["state"]!.GetValue<string>();

    private static DateTimeOffset Time(JsonNode account, string field) => account["health"]![field]!.GetValue<DateTimeOffset>();

    [Fact]
    public async Task A_429_rests_the_account_for_the_upstreams_retry_after_and_the_request_fails_over()
    {
        await using var gateway = await StartAsync([Account("sk-429-limited", priority: 0), Account("sk-good", priority: 1)], manualClock: true);
        gateway.Upstream.RetryAfter["sk-429-limited"] = "120";
        using var client = gateway.Client();

        await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        var limited = await gateway.AccountAsync("sk-429-limited");
        await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        gateway.Clock!.Advance(TimeSpan.FromSeconds(100));
        await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        var stillResting = gateway.Upstream.Keys;
        gateway.Clock.Advance(TimeSpan.FromSeconds(21));
        await Ok(client.PostAsync("/v1/chat/completions", Chat()));

        Assert.Equal("rate_limited", State(limited));
        Assert.InRange(Time(limited, "cooling_until") - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(121));
        Assert.Equal(429, limited["health"]!["last_error"]!["status"]!.GetValue<int>());
        Assert.Equal(["sk-429-limited", "sk-good", "sk-good", "sk-good"], stillResting);
        // Its wait is over: it is tried first again (and rate-limited again).
        Assert.Equal(["sk-429-limited", "sk-good"], gateway.Upstream.Keys.Skip(4));
    }

    [Fact]
    public async Task When_every_account_is_rate_limited_the_caller_gets_the_429_with_retry_after_and_the_upstream_is_left_alone()
    {
        await using var gateway = await StartAsync([Account("sk-429-only")], manualClock: true);
        gateway.Upstream.RetryAfter["sk-429-only"] = "30";
        using var client = gateway.Client();

        var passedOn = await client.PostAsync("/v1/chat/completions", Chat());
        gateway.Clock!.Advance(TimeSpan.FromSeconds(10));
        var refused = await client.PostAsync("/v1/chat/completions", Chat());

        await GatewayAssert.OpenAIError(passedOn, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(30), passedOn.Headers.RetryAfter?.Delta);
        await GatewayAssert.OpenAIError(refused, HttpStatusCode.TooManyRequests, code: "rate_limit_exceeded");
        Assert.Equal(TimeSpan.FromSeconds(20), refused.Headers.RetryAfter?.Delta);
        Assert.Single(gateway.Upstream.Calls);
    }

    [Fact]
    public async Task Repeated_authentication_failures_open_the_circuit_and_one_trial_after_the_probe_interval_closes_it()
    {
        await using var gateway = await StartAsync([Account("sk-revoked", priority: 0), Account("sk-good", priority: 1)],
            new Dictionary<string, string?> { ["Manifold:Accounts:AuthFailureLimit"] = "2", ["Manifold:Accounts:ProbeInterval"] = "00:05:00" },
            manualClock: true);
        gateway.Upstream.Rejected["sk-revoked"] = true;
        using var client = gateway.Client();
        var coolDown = TimeSpan.FromSeconds(31);

        await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        var once = await gateway.AccountAsync("sk-revoked");
        gateway.Clock!.Advance(coolDown);
        await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        var opened = await gateway.AccountAsync("sk-revoked");
        gateway.Clock.Advance(coolDown);
        await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        var whileOpen = gateway.Upstream.Keys;

        // The probe interval passes; the key was fixed upstream in the meantime.
        gateway.Clock.Advance(TimeSpan.FromMinutes(5));
        var halfOpen = await gateway.AccountAsync("sk-revoked");
        gateway.Upstream.Rejected.TryRemove("sk-revoked", out _);
        await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        var closed = await gateway.AccountAsync("sk-revoked");

        Assert.Equal(("cooling_down", 1), (State(once), once["health"]!["consecutive_auth_failures"]!.GetValue<int>()));
        Assert.Equal("circuit_open", State(opened));
        Assert.InRange(Time(opened, "probe_at") - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5.1));
        Assert.Equal(["sk-revoked", "sk-good", "sk-revoked", "sk-good", "sk-good"], whileOpen);
        Assert.Equal("half_open", State(halfOpen));
        Assert.Equal(["sk-revoked"], gateway.Upstream.Keys.Skip(5));
        Assert.Equal(("healthy", 0), (State(closed), closed["health"]!["consecutive_auth_failures"]!.GetValue<int>()));
        Assert.Null(closed["health"]!["probe_at"]);
    }

    [Fact]
    public async Task A_failed_trial_reopens_the_circuit_and_with_every_circuit_open_the_caller_gets_a_503_with_retry_after()
    {
        await using var gateway = await StartAsync([Account("sk-revoked")],
            new Dictionary<string, string?> { ["Manifold:Accounts:AuthFailureLimit"] = "2", ["Manifold:Accounts:ProbeInterval"] = "00:05:00" },
            manualClock: true);
        gateway.Upstream.Rejected["sk-revoked"] = true;
        using var client = gateway.Client();

        var first = await client.PostAsync("/v1/chat/completions", Chat());
        gateway.Clock!.Advance(TimeSpan.FromSeconds(31));
        await client.PostAsync("/v1/chat/completions", Chat());
        gateway.Clock.Advance(TimeSpan.FromSeconds(60));
        var open = await client.PostAsync("/v1/chat/completions", Chat());
        gateway.Clock.Advance(TimeSpan.FromMinutes(4));
        var trial = await client.PostAsync("/v1/chat/completions", Chat());
        var reopened = await gateway.AccountAsync("sk-revoked");
        var afterTrial = await client.PostAsync("/v1/chat/completions", Chat());

        // The upstream refused the platform's key, not the caller's licence.
        await GatewayAssert.OpenAIError(first, HttpStatusCode.BadGateway, code: "upstream_auth_failed");
        await GatewayAssert.OpenAIError(open, HttpStatusCode.ServiceUnavailable, code: "no_available_account");
        Assert.Equal(TimeSpan.FromSeconds(240), open.Headers.RetryAfter?.Delta);
        await GatewayAssert.OpenAIError(trial, HttpStatusCode.BadGateway, code: "upstream_auth_failed");
        Assert.Equal("circuit_open", State(reopened));
        Assert.InRange(Time(reopened, "probe_at") - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5.1));
        await GatewayAssert.OpenAIError(afterTrial, HttpStatusCode.ServiceUnavailable, code: "no_available_account");
        Assert.Equal(3, gateway.Upstream.Calls.Count);
    }
}
