using System.Net;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Manifold.Host.Tests.Gateway;
using static Manifold.Host.Tests.Metering.MeteringGateway;

namespace Manifold.Host.Tests.Metering;

/// <summary>
/// A licence's <c>quota</c> (requests, tokens, cost: spent is what was metered) is a 429 <c>insufficient_quota</c> once
/// spent, in each protocol's shape; <c>limits.tpm</c> is a 429 <c>rate_limit_exceeded</c> with Retry-After; the
/// quota-low webhook fires once as a licence crosses the threshold; and what was spent survives a restart.
/// </summary>
public sealed class QuotaTests(MeteringGateway gateway) : IClassFixture<MeteringGateway>
{
    private static Task<HttpResponseMessage> ChatAsync(HttpClient client, string model = "gpt-4o") =>
        client.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}"""));

    [Fact]
    public async Task A_spent_quota_of_requests_is_a_429_insufficient_quota_in_each_protocol_that_sdks_do_not_retry()
    {
        var (_, key) = await gateway.LicenceAsync("""
            "quota":{"requests":2}
            """);
        using var openai = gateway.OpenAI(key);
        using var anthropic = gateway.Anthropic(key);
        using var gemini = gateway.Gemini(key);

        var first = await ChatAsync(openai);
        var second = await ChatAsync(openai);
        var spent = await ChatAsync(openai);
        var asAnthropic = await anthropic.PostAsync("/v1/messages", Json("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"""));
        var asGemini = await gemini.PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", Json("""{"contents":[{"parts":[{"text":"Hi"}]}]}"""));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var error = await GatewayAssert.OpenAIError(spent, HttpStatusCode.TooManyRequests, code: "insufficient_quota");
        Assert.Equal("insufficient_quota", error.GetProperty("type").GetString());
        Assert.Contains("2 requests", error.GetProperty("message").GetString());
        Assert.Equal("false", Assert.Single(spent.Headers.GetValues("x-should-retry")));
        await GatewayAssert.AnthropicError(asAnthropic, HttpStatusCode.TooManyRequests, "rate_limit_error");
        await GatewayAssert.GeminiError(asGemini, HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED");
    }

    [Fact]
    public async Task A_quota_of_tokens_counts_what_the_upstream_reported_and_refused_requests_count_against_nothing()
    {
        var (id, key) = await gateway.LicenceAsync($$"""
            "quota":{"tokens":{{MeteredUpstream.Chat.Total * 2}},"requests":3}
            """);
        using var openai = gateway.OpenAI(key);

        var unknown = await ChatAsync(openai, "nobody-serves-this");
        var first = await ChatAsync(openai);
        var second = await ChatAsync(openai);
        var spent = await ChatAsync(openai);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.OK), (unknown.StatusCode, first.StatusCode, second.StatusCode));
        var error = await GatewayAssert.OpenAIError(spent, HttpStatusCode.TooManyRequests, code: "insufficient_quota");
        Assert.Contains($"{MeteredUpstream.Chat.Total * 2} tokens", error.GetProperty("message").GetString());
        // The refusals are in the log too, with their codes; they used nothing.
        var rows = await gateway.LoggedAsync(id, 4);
        Assert.Equal([429, 200, 200, 404], rows.Select(r => r!["status"]!.GetValue<int>()));
        Assert.Equal(["insufficient_quota", null, null, "model_not_found"], rows.Select(r => r!["error_code"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_quota_of_cost_is_spent_at_the_operators_prices()
    {
        using var admin = gateway.Admin();
        await JsonAsync(await admin.PutAsync("/admin/api/prices", Json("""{"data":[{"model":"gpt-costly","input_per_million":100000,"output_per_million":100000}]}""")));
        var (id, key) = await gateway.LicenceAsync("""
            "quota":{"cost":2}
            """);
        using var openai = gateway.OpenAI(key);

        var first = await ChatAsync(openai, "gpt-costly");
        await gateway.LoggedAsync(id, 1);
        var second = await ChatAsync(openai, "gpt-costly");
        await gateway.LoggedAsync(id, 2);
        var spent = await ChatAsync(openai, "gpt-costly");

        // 18 tokens at 0.1 each: 1.8, then 3.6. Cost is counted when the batch is priced, so the check waits for the row.
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var error = await GatewayAssert.OpenAIError(spent, HttpStatusCode.TooManyRequests, code: "insufficient_quota");
        Assert.Contains("3.6 used", error.GetProperty("message").GetString());
        await JsonAsync(await admin.PutAsync("/admin/api/prices", Json("""{"data":[]}""")));
    }

    [Fact]
    public async Task Tpm_is_a_429_rate_limit_exceeded_with_retry_after_once_the_last_minutes_tokens_reach_it()
    {
        var (_, key) = await gateway.LicenceAsync("""
            "limits":{"tpm":10}
            """);
        using var openai = gateway.OpenAI(key);
        using var anthropic = gateway.Anthropic(key);

        var first = await ChatAsync(openai);
        var limited = await ChatAsync(openai);
        var asAnthropic = await anthropic.PostAsync("/v1/messages", Json("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var error = await GatewayAssert.OpenAIError(limited, HttpStatusCode.TooManyRequests, code: "rate_limit_exceeded");
        Assert.Equal("tokens", error.GetProperty("type").GetString());
        Assert.Contains("10 tokens per minute", error.GetProperty("message").GetString());
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        await GatewayAssert.AnthropicError(asAnthropic, HttpStatusCode.TooManyRequests, "rate_limit_error");
        Assert.NotNull(asAnthropic.Headers.RetryAfter);
    }

    [Fact]
    public async Task The_quota_low_webhook_fires_once_as_a_licence_crosses_the_threshold()
    {
        // 18 tokens a request against 100: the fifth leaves 10, the 10 % threshold; the sixth goes on below it.
        var (id, key) = await gateway.LicenceAsync("""
            "quota":{"tokens":100}
            """);
        using var openai = gateway.OpenAI(key);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ChatAsync(openai)).StatusCode);
        }
        await gateway.LoggedAsync(id, 5);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(openai)).StatusCode);
        await gateway.LoggedAsync(id, 6);
        // A second licence crossing after: deliveries are in order, so once its webhook is here, a second one of the first would be too.
        var (sentinel, sentinelKey) = await gateway.LicenceAsync("""
            "quota":{"tokens":18}
            """);
        using var other = gateway.OpenAI(sentinelKey);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(other)).StatusCode);
        await gateway.LoggedAsync(sentinel, 1);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!gateway.Webhooks.Any(w => Licence(w.Body) == sentinel) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var received = gateway.Webhooks.Where(w => Licence(w.Body) == id || Licence(w.Body) == sentinel).ToList();
        Assert.Equal([id, sentinel], received.Select(w => Licence(w.Body)));
        var (authorization, body) = received[0];
        Assert.Equal("Bearer " + WebhookSecret, authorization);
        Assert.Equal("user_quota_too_low", body["topic"]!.GetValue<string>());
        Assert.Equal((10.0, "tokens", 100.0, 90.0), (body["data"]!["quota"]!.GetValue<double>(), body["data"]!["kind"]!.GetValue<string>(),
            body["data"]!["limit"]!.GetValue<double>(), body["data"]!["used"]!.GetValue<double>()));

        static long Licence(JsonNode body) => body["data"]!["licence_id"]!.GetValue<long>();
    }

    [Fact]
    public async Task What_a_licence_spent_survives_a_restart()
    {
        var database = Path.Combine(Path.GetTempPath(), $"manifold-quota-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?>
        {
            ["Manifold:Admin:Key"] = AdminKey,
            ["Manifold:Platforms:openai:Plugin"] = "openai",
            ["Manifold:Platforms:openai:BaseUrl"] = gateway.Upstream.Root + "/v1",
            ["Manifold:Platforms:openai:Accounts:0:Key"] = "sk-openai",
        };
        string key;
        try
        {
            await using (var first = new ManifoldFactory(settings, database))
            {
                using var admin = first.CreateClient();
                admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
                key = (await JsonAsync(await admin.PostAsync("/admin/api/licences", Json("""{"name":"restart","quota":{"requests":1}}""")), HttpStatusCode.Created))["key"]!.GetValue<string>();
                using var client = first.CreateClient();
                client.DefaultRequestHeaders.Authorization = new("Bearer", key);
                Assert.Equal(HttpStatusCode.OK, (await ChatAsync(client)).StatusCode);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while ((await JsonAsync(await admin.GetAsync("/admin/api/usage")))["data"]!.AsArray().Count == 0)
                {
                    Assert.True(DateTime.UtcNow < deadline, "The request was never written.");
                    await Task.Delay(50);
                }
            }
            await using var second = new ManifoldFactory(settings, database);
            using var again = second.CreateClient();
            again.DefaultRequestHeaders.Authorization = new("Bearer", key);

            await GatewayAssert.OpenAIError(await ChatAsync(again), HttpStatusCode.TooManyRequests, code: "insufficient_quota");
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(database + suffix);
            }
        }
    }
}
