using System.Net;
using Manifold.Host.Storage;
using Manifold.Host.Tests.Gateway;
using Manifold.Host.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Manifold.Host.Tests.Accounts.AccountsGateway;

namespace Manifold.Host.Tests.Accounts;

/// <summary>
/// Two gateways on one PostgreSQL and one upstream: a 429 with a Retry-After, or an opened circuit, learnt by one node rests
/// the account on the other within 5 s, so the other refuses (or fails over) without calling the upstream with it again.
/// </summary>
public sealed class AccountHealthAcrossNodesTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);
    private readonly TempPostgresDatabase _db = TempPostgresDatabase.Create();

    public Task InitializeAsync() => _db.Database.MigrateAsync();

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(AccountsGateway A, AccountsGateway B)> TwoNodesAsync(IReadOnlyList<IReadOnlyDictionary<string, string>> accounts, Dictionary<string, string?>? extra = null)
    {
        extra ??= [];
        extra["Manifold:Storage:Provider"] = "postgres";
        extra["Manifold:Storage:ConnectionString"] = _db.ConnectionString;
        var a = await StartAsync(accounts, extra);
        var b = await StartAsync(accounts, extra, upstream: a.Upstream);
        await b.Manifold.Services.GetRequiredService<PostgresListener>().Listening.WaitAsync(TimeSpan.FromMinutes(1));
        return (a, b);
    }

    [Fact]
    public async Task A_429_with_retry_after_on_one_node_rests_the_account_on_the_other_which_then_leaves_the_upstream_alone()
    {
        var (a, b) = await TwoNodesAsync([Account("sk-429-shared")]);
        await using var _ = b;
        await using var __ = a;
        a.Upstream.RetryAfter["sk-429-shared"] = "60";
        using var clientA = a.Client();
        using var clientB = b.Client();

        var passedOn = await clientA.PostAsync("/v1/chat/completions", Chat());
        var rested = await Eventually(async () => (await b.AccountAsync("sk-429-shared"))["health"]!["state"]!.GetValue<string>() == "rate_limited");
        var refused = await clientB.PostAsync("/v1/chat/completions", Chat());

        await GatewayAssert.OpenAIError(passedOn, HttpStatusCode.TooManyRequests);
        Assert.True(rested, "node B never learnt of the rest");
        await GatewayAssert.OpenAIError(refused, HttpStatusCode.TooManyRequests, code: "rate_limit_exceeded");
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Single(a.Upstream.Calls);
    }

    [Fact]
    public async Task A_circuit_opened_on_one_node_is_open_on_the_other_which_fails_over_without_trying_the_account()
    {
        var (a, b) = await TwoNodesAsync([Account("sk-revoked-shared", priority: 0), Account("sk-good-shared", priority: 1)],
            new Dictionary<string, string?> { ["Manifold:Accounts:AuthFailureLimit"] = "1", ["Manifold:Accounts:ProbeInterval"] = "00:05:00" });
        await using var _ = b;
        await using var __ = a;
        a.Upstream.Rejected["sk-revoked-shared"] = true;
        using var clientA = a.Client();
        using var clientB = b.Client();

        await Ok(clientA.PostAsync("/v1/chat/completions", Chat()));
        var opened = await Eventually(async () => (await b.AccountAsync("sk-revoked-shared"))["health"]!["state"]!.GetValue<string>() == "circuit_open");
        await Ok(clientB.PostAsync("/v1/chat/completions", Chat()));

        Assert.True(opened, "node B never learnt of the open circuit");
        // A tried the revoked key once and failed over; B went straight to the good one.
        Assert.Equal(["sk-revoked-shared", "sk-good-shared", "sk-good-shared"], a.Upstream.Keys);
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(50);
        }
        return await condition();
    }
}
