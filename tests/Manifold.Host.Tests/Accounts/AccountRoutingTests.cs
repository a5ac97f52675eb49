using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;
using static Manifold.Host.Tests.Accounts.AccountsGateway;

namespace Manifold.Host.Tests.Accounts;

/// <summary>
/// Which account serves a request, through the real host and a loopback upstream that records the key of every call:
/// priority, weight, max_concurrency, groups (<c>model|[group]</c> and a licence's), sticky sessions and retry_attempt.
/// </summary>
public sealed class AccountRoutingTests
{
    private static async Task<JsonNode> PatchAsync(AccountsGateway gateway, string key, string json)
    {
        using var admin = gateway.Admin();
        var response = await admin.PatchAsync($"/admin/api/platforms/{Platform}/accounts/{IdOf(key)}", Json(json));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task A_lower_priority_number_takes_every_request_until_none_of_its_accounts_is_usable()
    {
        await using var gateway = await StartAsync([Account("sk-first", priority: 0), Account("sk-second", priority: 1)]);
        using var client = gateway.Client();

        for (var i = 0; i < 4; i++)
        {
            await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        }
        await PatchAsync(gateway, "sk-first", """{"enabled": false}""");
        for (var i = 0; i < 2; i++)
        {
            await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        }
        await PatchAsync(gateway, "sk-first", """{"enabled": true}""");
        await Ok(client.PostAsync("/v1/chat/completions", Chat()));

        Assert.Equal(["sk-first", "sk-first", "sk-first", "sk-first", "sk-second", "sk-second", "sk-first"], gateway.Upstream.Keys);
    }

    [Fact]
    public async Task Accounts_of_one_priority_share_the_requests_by_weight()
    {
        await using var gateway = await StartAsync([Account("sk-heavy", weight: 3), Account("sk-light", weight: 1)]);
        using var client = gateway.Client();

        for (var i = 0; i < 40; i++)
        {
            await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        }

        // Three to one, give or take: the test holds the share, not the order.
        var heavy = gateway.Upstream.Keys.Count(static k => k == "sk-heavy");
        Assert.InRange(heavy, 26, 34);
        Assert.Equal(40 - heavy, gateway.Upstream.Keys.Count(static k => k == "sk-light"));
    }

    [Fact]
    public async Task An_account_at_its_max_concurrency_is_skipped_and_when_all_are_the_caller_gets_a_429_with_retry_after_in_its_protocol()
    {
        await using var gateway = await StartAsync([Account("sk-one", maxConcurrency: 1), Account("sk-two", maxConcurrency: 1)]);
        using var client = gateway.Client();
        using var anthropic = gateway.Client(licence: null);
        anthropic.DefaultRequestHeaders.Add("x-api-key", ManifoldFactory.LicenceKey);
        anthropic.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        using var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // A stream holds its account until its last byte; a plain request until its answer.
        var stream = client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat(AccountsUpstream.HoldModel, stream: true) },
            HttpCompletionOption.ResponseHeadersRead);
        var first = await gateway.Upstream.Held.Reader.ReadAsync(waiting.Token);
        var plain = client.PostAsync("/v1/chat/completions", Chat(AccountsUpstream.HoldModel));
        var second = await gateway.Upstream.Held.Reader.ReadAsync(waiting.Token);
        var busy = await client.PostAsync("/v1/chat/completions", Chat());
        var busyAnthropic = await anthropic.PostAsync("/v1/messages", Json("""{"model":"gpt-4o-mini","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"""));
        var health = await gateway.AccountAsync(first);
        gateway.Upstream.Release.Release(2);
        var streamed = await (await Ok(stream)).Content.ReadAsStringAsync();
        await Ok(plain);
        var after = await client.PostAsync("/v1/chat/completions", Chat());

        Assert.NotEqual(first, second);
        var error = await GatewayAssert.OpenAIError(busy, HttpStatusCode.TooManyRequests, code: "rate_limit_exceeded");
        Assert.Contains("concurrency", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
        await GatewayAssert.AnthropicError(busyAnthropic, HttpStatusCode.TooManyRequests, "rate_limit_error");
        Assert.NotNull(busyAnthropic.Headers.RetryAfter);
        Assert.Equal(("busy", 1), (health["health"]!["state"]!.GetValue<string>(), health["health"]!["in_flight"]!.GetValue<int>()));
        Assert.Contains("data: [DONE]", streamed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        // The refused requests never reached the upstream.
        Assert.Equal(3, gateway.Upstream.Calls.Count);
    }

    [Fact]
    public async Task A_model_naming_groups_is_served_by_their_accounts_and_the_upstream_gets_the_bare_model()
    {
        await using var gateway = await StartAsync([Account("sk-g1", group: "g1"), Account("sk-g2", group: "g2"), Account("sk-plain")]);
        using var client = gateway.Client();

        for (var i = 0; i < 3; i++)
        {
            await Ok(client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g2]")));
        }
        var streamed = await (await Ok(client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g2]", stream: true)))).Content.ReadAsStringAsync();
        var both = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            await Ok(client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g1, g2]")));
            both.Add(gateway.Upstream.Calls.Last().Key);
        }
        var malformed = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g1"));
        var unknown = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[nope]"));
        // A model in the path (Gemini's), converted to the platform's Chat Completions.
        using var gemini = gateway.Client(licence: null);
        gemini.DefaultRequestHeaders.Add("x-goog-api-key", ManifoldFactory.LicenceKey);
        await Ok(gemini.PostAsync("/v1beta/models/gpt-4o-mini%7C%5Bg2%5D:generateContent",
            Json("""{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}""")));

        Assert.All(gateway.Upstream.Calls.Take(4), static c => Assert.Equal(("sk-g2", "gpt-4o-mini"), (c.Key, c.Model)));
        Assert.Contains("data: [DONE]", streamed, StringComparison.Ordinal);
        Assert.Equal(["sk-g1", "sk-g2"], both.Order());
        await GatewayAssert.OpenAIError(malformed, HttpStatusCode.BadRequest, param: "model");
        await GatewayAssert.OpenAIError(unknown, HttpStatusCode.BadRequest, param: "model", code: "no_account_in_group");
        Assert.Equal(("sk-g2", "gpt-4o-mini"), (gateway.Upstream.Calls.Last().Key, gateway.Upstream.Calls.Last().Model));
        Assert.Equal(9, gateway.Upstream.Calls.Count);
    }

    [Fact]
    public async Task A_licence_limited_to_groups_uses_only_their_accounts_and_may_not_name_another()
    {
        await using var gateway = await StartAsync([Account("sk-g1", group: "g1"), Account("sk-g2", group: "g2")]);
        using var admin = gateway.Admin();
        var created = JsonNode.Parse(await (await admin.PostAsync("/admin/api/licences", Json("""{"name":"g1 only","groups":["g1"]}"""))).Content.ReadAsStringAsync())!;
        using var client = gateway.Client(created["key"]!.GetValue<string>());
        var badGroups = await admin.PostAsync("/admin/api/licences", Json("""{"name":"bad","groups":["no spaces"]}"""));

        for (var i = 0; i < 3; i++)
        {
            await Ok(client.PostAsync("/v1/chat/completions", Chat()));
        }
        var named = await Ok(client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g1]")));
        var other = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g2]"));

        Assert.Equal(["g1"], created["groups"]!.AsArray().Select(static g => g!.GetValue<string>()));
        await GatewayAssert.OpenAIError(badGroups, HttpStatusCode.BadRequest, param: "groups[0]");
        Assert.Equal(["sk-g1", "sk-g1", "sk-g1", "sk-g1"], gateway.Upstream.Keys);
        await GatewayAssert.OpenAIError(other, HttpStatusCode.Forbidden, code: "group_not_allowed");
    }

    [Fact]
    public async Task Requests_of_one_session_stay_on_one_account_while_it_is_usable_and_other_sessions_do_not_move()
    {
        string[] keys = ["sk-s1", "sk-s2", "sk-s3"];
        await using var gateway = await StartAsync([.. keys.Select(static k => Account(k))]);
        using var client = gateway.Client();
        using var anthropic = gateway.Client(licence: null);
        anthropic.DefaultRequestHeaders.Add("x-api-key", ManifoldFactory.LicenceKey);
        anthropic.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        // Each way a client names its session, four requests each: one account per session.
        async Task<string> SessionAsync(Func<Task<HttpResponseMessage>> call)
        {
            var before = gateway.Upstream.Calls.Count;
            for (var i = 0; i < 4; i++)
            {
                await Ok(call());
            }
            return Assert.Single(gateway.Upstream.Calls.Skip(before).Select(static c => c.Key).Distinct());
        }
        await SessionAsync(() => client.PostAsync("/v1/chat/completions", Chat(extra: ""","prompt_cache_key":"conversation-1" """)));
        await SessionAsync(() => client.PostAsync("/v1/chat/completions", Chat(extra: ""","user":"user-7" """)));
        await SessionAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat() };
            request.Headers.Add("session_id", "codex-session-3");
            return client.SendAsync(request);
        });
        await SessionAsync(() => anthropic.PostAsync("/v1/messages",
            Json("""{"model":"gpt-4o-mini","max_tokens":10,"metadata":{"user_id":"claude-user-1"},"messages":[{"role":"user","content":"Hi"}]}""")));

        // Ten sessions spread over the accounts; take one account away and only its sessions move, each to one new account.
        var sessions = new Dictionary<string, string>();
        for (var s = 0; s < 10; s++)
        {
            sessions[$"session-{s}"] = await SessionAsync(() => client.PostAsync("/v1/chat/completions", Chat(extra: $$""","prompt_cache_key":"session-{{s}}" """)));
        }
        var removed = sessions.Values.GroupBy(static k => k).OrderByDescending(static g => g.Count()).First().Key;
        await PatchAsync(gateway, removed, """{"enabled": false}""");
        var moved = new Dictionary<string, string>();
        foreach (var session in sessions.Keys)
        {
            moved[session] = await SessionAsync(() => client.PostAsync("/v1/chat/completions", Chat(extra: $$""","prompt_cache_key":"{{session}}" """)));
        }
        await PatchAsync(gateway, removed, """{"enabled": true}""");
        var back = new Dictionary<string, string>();
        foreach (var session in sessions.Keys)
        {
            back[session] = await SessionAsync(() => client.PostAsync("/v1/chat/completions", Chat(extra: $$""","prompt_cache_key":"{{session}}" """)));
        }

        Assert.True(sessions.Values.Distinct().Count() > 1, "ten sessions all landed on one account");
        foreach (var (session, account) in sessions)
        {
            // Only the removed account's sessions move (rendezvous hashing); the others keep their account and its cache.
            if (account == removed)
            {
                Assert.NotEqual(removed, moved[session]);
            }
            else
            {
                Assert.Equal(account, moved[session]);
            }
        }
        Assert.Equal(sessions, back);
    }

    [Fact]
    public async Task Retry_attempt_zero_in_the_body_or_the_header_means_no_retry_on_another_account_and_never_reaches_the_upstream()
    {
        await using var gateway = await StartAsync([Account("sk-500-first", priority: 0), Account("sk-good", priority: 1)], manualClock: true);
        using var client = gateway.Client();
        var rest = TimeSpan.FromSeconds(31);

        var capped = await client.PostAsync("/v1/chat/completions", Chat(extra: ""","retry_attempt":0"""));
        gateway.Clock!.Advance(rest);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat() };
        request.Headers.Add("X-Retry-Attempt", "0");
        var cappedByHeader = await client.SendAsync(request);
        gateway.Clock.Advance(rest);
        var retried = await client.PostAsync("/v1/chat/completions", Chat(extra: ""","retry_attempt":1"""));
        var negative = await client.PostAsync("/v1/chat/completions", Chat(extra: ""","retry_attempt":-1"""));
        var text = await client.PostAsync("/v1/chat/completions", Chat(extra: ""","retry_attempt":"none" """));

        await GatewayAssert.OpenAIError(capped, HttpStatusCode.InternalServerError);
        await GatewayAssert.OpenAIError(cappedByHeader, HttpStatusCode.InternalServerError);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(["sk-500-first", "sk-500-first", "sk-500-first", "sk-good"], gateway.Upstream.Keys);
        Assert.All(gateway.Upstream.Calls, static c => Assert.Null(c.Body["retry_attempt"]));
        await GatewayAssert.OpenAIError(negative, HttpStatusCode.BadRequest, param: "retry_attempt");
        await GatewayAssert.OpenAIError(text, HttpStatusCode.BadRequest, param: "retry_attempt");
    }
}
