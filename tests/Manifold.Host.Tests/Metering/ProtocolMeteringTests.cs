using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Manifold.Host.Tests.Gateway;
using static Manifold.Host.Tests.Metering.MeteringGateway;

namespace Manifold.Host.Tests.Metering;

/// <summary>
/// Every protocol's answers, JSON and streamed, converted or passed through, are metered with the tokens the upstream
/// reported; a Chat Completions stream is metered even when its client did not ask for usage, without the client seeing
/// it; an abandoned stream is metered for what was produced; and every answer carries Manifold's overhead.
/// </summary>
public sealed class ProtocolMeteringTests(MeteringGateway gateway) : IClassFixture<MeteringGateway>
{
    private static void AssertTokens(JsonNode row, (long Input, long Output, long Total) expected, string source = "reported")
    {
        Assert.Equal(expected, (row["input_tokens"]!.GetValue<long>(), row["output_tokens"]!.GetValue<long>(), row["total_tokens"]!.GetValue<long>()));
        Assert.Equal(source, row["usage_source"]!.GetValue<string>());
    }

    private static JsonNode Row(JsonArray rows, string operation) =>
        Assert.Single(rows, r => r!["operation"]!.GetValue<string>() == operation)!;

    [Fact]
    public async Task Json_answers_are_metered_with_the_tokens_the_upstream_reported_in_every_protocol()
    {
        var (id, key) = await gateway.LicenceAsync();
        using var openai = gateway.OpenAI(key);
        using var anthropic = gateway.Anthropic(key);
        using var gemini = gateway.Gemini(key);

        await JsonAsync(await openai.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""")));
        await JsonAsync(await openai.PostAsync("/v1/responses", Json("""{"model":"gpt-4.1","input":"Hi"}""")));
        await JsonAsync(await anthropic.PostAsync("/v1/messages", Json("""{"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}""")));
        await JsonAsync(await gemini.PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", Json("""{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}""")));
        await JsonAsync(await openai.PostAsync("/v1/images/generations", Json("""{"model":"gpt-image-1","prompt":"a red bicycle"}""")));

        var rows = await gateway.LoggedAsync(id, 5);
        var usage = await gateway.WhenAsync($"/admin/api/usage?licence_id={id}", data => data.Count == 5);

        AssertTokens(Row(rows, "createChatCompletion"), MeteredUpstream.Chat);
        AssertTokens(Row(rows, "createResponse"), MeteredUpstream.Responses);
        AssertTokens(Row(rows, "createMessage"), MeteredUpstream.Messages);
        AssertTokens(Row(rows, "generateContent"), MeteredUpstream.Gemini);
        AssertTokens(Row(rows, "createImage"), MeteredUpstream.Images);
        Assert.Equal(1, Row(rows, "createImage")["images"]!.GetValue<int>());
        Assert.All(rows, row =>
        {
            Assert.Equal(200, row!["status"]!.GetValue<int>());
            Assert.False(string.IsNullOrEmpty(row["account_id"]?.GetValue<string>()), row.ToJsonString());
            Assert.True(row["overhead_ms"]!.GetValue<double>() <= row["latency_ms"]!.GetValue<double>(), row.ToJsonString());
        });
        Assert.Equal(("gemini", "gemini-2.5-flash", "gemini"), (Row(rows, "generateContent")["platform"]!.GetValue<string>(),
            Row(rows, "generateContent")["model"]!.GetValue<string>(), Row(rows, "generateContent")["protocol"]!.GetValue<string>()));
        var claude = Assert.Single(usage, r => r!["platform"]!.GetValue<string>() == "claude")!;
        Assert.Equal(("claude-sonnet-4-5", 1, 16, 6, 22), (claude["model"]!.GetValue<string>(), claude["requests"]!.GetValue<int>(),
            claude["input_tokens"]!.GetValue<long>(), claude["output_tokens"]!.GetValue<long>(), claude["total_tokens"]!.GetValue<long>()));
        Assert.Equal(MeteredUpstream.Chat.Total + MeteredUpstream.Responses.Total + MeteredUpstream.Images.Total,
            usage.Where(r => r!["platform"]!.GetValue<string>() == "openai").Sum(r => r!["total_tokens"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Streams_are_metered_with_the_tokens_the_upstream_reported_in_every_protocol()
    {
        var (id, key) = await gateway.LicenceAsync();
        using var openai = gateway.OpenAI(key);
        using var anthropic = gateway.Anthropic(key);
        using var gemini = gateway.Gemini(key);

        var chat = await GatewayAssert.SseData(await openai.PostAsync("/v1/chat/completions",
            Json("""{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""")));
        await (await openai.PostAsync("/v1/responses", Json("""{"model":"gpt-4o","input":"Hi","stream":true}"""))).Content.ReadAsStringAsync();
        await (await anthropic.PostAsync("/v1/messages",
            Json("""{"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""))).Content.ReadAsStringAsync();
        await (await gemini.PostAsync("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            Json("""{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}"""))).Content.ReadAsStringAsync();

        var rows = await gateway.LoggedAsync(id, 4);

        // A client that asked for usage still gets its chunk, as OpenAI sends it.
        Assert.Equal(MeteredUpstream.Chat.Total, JsonNode.Parse(chat[^2])!["usage"]!["total_tokens"]!.GetValue<long>());
        AssertTokens(Row(rows, "createChatCompletion"), MeteredUpstream.Chat);
        AssertTokens(Row(rows, "createResponse"), MeteredUpstream.Responses);
        AssertTokens(Row(rows, "createMessage"), MeteredUpstream.Messages);
        AssertTokens(Row(rows, "streamGenerateContent"), MeteredUpstream.Gemini);
    }

    [Fact]
    public async Task A_chat_stream_whose_client_did_not_ask_for_usage_gets_none_yet_is_metered_passed_through_or_converted()
    {
        var (id, key) = await gateway.LicenceAsync();
        using var openai = gateway.OpenAI(key);
        var asked = gateway.Upstream.ChatStreamsAskedForUsage.Count;

        var native = await GatewayAssert.SseData(await openai.PostAsync("/v1/chat/completions",
            Json("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""")));
        var declined = await GatewayAssert.SseData(await openai.PostAsync("/v1/chat/completions",
            Json("""{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":false},"messages":[{"role":"user","content":"Hi"}]}""")));
        var converted = await GatewayAssert.SseData(await openai.PostAsync("/v1/chat/completions",
            Json("""{"model":"claude-sonnet-4-5","stream":true,"messages":[{"role":"user","content":"Hi"}]}""")));

        var rows = await gateway.LoggedAsync(id, 3);
        // The upstream was asked for usage both times; the clients got OpenAI's stream without it, [DONE] last.
        Assert.Equal([true, true], gateway.Upstream.ChatStreamsAskedForUsage.Skip(asked));
        foreach (var stream in new[] { native, declined, converted })
        {
            Assert.Equal("[DONE]", stream[^1]);
            Assert.All(stream[..^1], data => Assert.Null(JsonNode.Parse(data)!["usage"]));
            Assert.All(stream[..^1], data => Assert.NotEmpty(JsonNode.Parse(data)!["choices"]!.AsArray()));
        }
        Assert.Equal("stop", JsonNode.Parse(native[^2])!["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var openaiRows = rows.Where(r => r!["platform"]!.GetValue<string>() == "openai").ToList();
        Assert.Equal(2, openaiRows.Count);
        Assert.All(openaiRows, row => AssertTokens(row!, MeteredUpstream.Chat));
        AssertTokens(Assert.Single(rows, r => r!["platform"]!.GetValue<string>() == "claude")!, MeteredUpstream.Messages);
    }

    [Fact]
    public async Task An_abandoned_stream_is_metered_for_what_was_produced_the_usage_seen_so_far_topped_up_by_an_estimate()
    {
        var (id, key) = await gateway.LicenceAsync();
        using var openai = gateway.OpenAI(key);
        using var anthropic = gateway.Anthropic(key);
        const string ChatBody = """{"model":"gpt-4o-gated","stream":true,"messages":[{"role":"user","content":"Tell me a long story"}]}""";

        await AbandonAsync(openai, "/v1/chat/completions", ChatBody, MeteredUpstream.GatedText);
        await AbandonAsync(anthropic, "/v1/messages",
            """{"model":"claude-sonnet-4-5-gated","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Tell me a long story"}]}""", MeteredUpstream.GatedText);

        var rows = await gateway.LoggedAsync(id, 2);
        var chat = Row(rows, "createChatCompletion");
        var messages = Row(rows, "createMessage");
        // Nothing reported yet on Chat: output from the 18 characters streamed, input from the request's bytes, 4 to a token.
        AssertTokens(chat, (ChatBody.Length / 4, 5, ChatBody.Length / 4 + 5), "estimated");
        // Anthropic had reported its input (message_start): kept as reported, the output estimated past its first count.
        AssertTokens(messages, (MeteredUpstream.Messages.Input, 5, MeteredUpstream.Messages.Input + 5), "estimated");
        Assert.All(rows, row => Assert.Equal(499, row!["status"]!.GetValue<int>()));
        var usage = await gateway.WhenAsync($"/admin/api/usage?licence_id={id}&platform=openai", data => data.Count == 1);
        Assert.Equal((1, 0, 5), (usage[0]!["requests"]!.GetValue<int>(), usage[0]!["errors"]!.GetValue<int>(), usage[0]!["output_tokens"]!.GetValue<int>()));
    }

    /// <summary>Reads a stream until <paramref name="text"/> has arrived, then leaves, and waits for the upstream to see it.</summary>
    private async Task AbandonAsync(HttpClient client, string path, string body, string text)
    {
        var before = gateway.Upstream.Abandoned.Count;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) }, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.Contains(text, StringComparison.Ordinal))
        {
        }
        response.Dispose();
        while (gateway.Upstream.Abandoned.Count == before)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task Every_answer_carries_manifolds_overhead_json_streamed_and_refused()
    {
        var (_, key) = await gateway.LicenceAsync();
        using var openai = gateway.OpenAI(key);
        using var anonymous = gateway.Manifold.CreateClient();

        var json = await openai.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));
        var stream = await openai.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));
        var unknownModel = await openai.PostAsync("/v1/chat/completions", Json("""{"model":"nobody-serves-this","messages":[{"role":"user","content":"Hi"}]}"""));
        var noKey = await anonymous.GetAsync("/v1/models");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized),
            (json.StatusCode, stream.StatusCode, unknownModel.StatusCode, noKey.StatusCode));
        foreach (var response in new[] { json, stream, unknownModel, noKey })
        {
            var value = Assert.Single(response.Headers.GetValues("x-manifold-overhead-ms"));
            Assert.True(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0, value);
        }
    }
}
