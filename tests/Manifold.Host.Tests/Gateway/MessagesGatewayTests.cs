using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Gateway;

/// <summary>
/// POST /v1/messages and /v1/messages/count_tokens end to end: on a <c>claude</c> platform they pass through to
/// the upstream's Anthropic API; on an <c>openai-compatible</c> one they are converted to Chat Completions and
/// back (token counts are estimated). Chat Completions clients reach the claude platform converted the other way.
/// The loopback upstream answers as Anthropic and OpenAI document.
/// </summary>
public sealed class MessagesGatewayTests : IAsyncLifetime
{
    private LoopbackUpstream _upstream = null!;
    private ManifoldFactory _manifold = null!;
    private HttpClient _client = null!;
    private readonly ConcurrentQueue<(string Path, Dictionary<string, string> Headers, string Body)> _received = new();

    public async Task InitializeAsync()
    {
        _upstream = await LoopbackUpstream.StartAsync(app =>
        {
            app.MapPost("/v1/messages", MessagesAsync);
            app.MapPost("/v1/messages/count_tokens", CountTokensAsync);
            app.MapPost("/v1/chat/completions", ChatAsync);
        });
        var root = _upstream.Root;
        _manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Platforms:sandbox:Enabled"] = "false",
            ["Manifold:Platforms:claude:Plugin"] = "claude",
            ["Manifold:Platforms:claude:BaseUrl"] = root,
            ["Manifold:Platforms:claude:Accounts:0:Key"] = "sk-ant-upstream",
            ["Manifold:Platforms:compat:Plugin"] = "openai-compatible",
            ["Manifold:Platforms:compat:BaseUrl"] = root + "/v1",
            ["Manifold:Platforms:compat:Accounts:0:Key"] = "sk-compat",
            ["Manifold:Platforms:compat:Models:0"] = "deepseek-*",
        });
        // Anthropic's SDKs authenticate with x-api-key (older ones) or a bearer token (newer ones); Manifold takes both.
        _client = _manifold.CreateClient();
        _client.DefaultRequestHeaders.Add("x-api-key", ManifoldFactory.LicenceKey);
        _client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _manifold.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task On_claude_the_request_and_answer_pass_through_with_the_upstream_key()
    {
        const string Request = """{"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[{"role":"user","content":"Hi"}],"x_vendor":1}""";

        var response = await PostAsync("/v1/messages", Request);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("msg_up", body["id"]!.GetValue<string>());
        Assert.Equal("Hello from /messages", body["content"]![0]!["text"]!.GetValue<string>());
        var (path, headers, sent) = Assert.Single(_received);
        Assert.Equal("/v1/messages", path);
        Assert.Equal("sk-ant-upstream", headers["x-api-key"]);
        Assert.Equal("2023-06-01", headers["anthropic-version"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Request), JsonNode.Parse(sent)), sent);
    }

    [Fact]
    public async Task On_claude_the_stream_passes_through_as_named_events_ping_included()
    {
        var response = await PostAsync("/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString());
        var events = Events(text);
        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(static e => e.Name));
        Assert.All(events, static e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        Assert.DoesNotContain("[DONE]", text);
    }

    [Fact]
    public async Task A_model_suffix_becomes_anthropic_thinking()
    {
        await PostAsync("/v1/messages", """{"model":"claude-sonnet-4-5-thinking","max_tokens":20000,"messages":[{"role":"user","content":"Hi"}]}""");

        var sent = JsonNode.Parse(Assert.Single(_received).Body)!;
        Assert.Equal("claude-sonnet-4-5", sent["model"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"enabled","budget_tokens":8192}"""), sent["thinking"]), sent.ToJsonString());
    }

    [Fact]
    public async Task Close_reasoning_content_strips_thinking_from_a_passed_through_stream_and_renumbers_blocks()
    {
        var response = await PostAsync("/v1/messages?close_reasoning_content=true",
            """{"model":"claude-sonnet-4-5-thinkingstream","max_tokens":4096,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(events, static e => e.Data.ToJsonString().Contains("thinking", StringComparison.Ordinal) && e.Name != "message_start");
        Assert.All(events.Where(static e => e.Data["index"] is not null), static e => Assert.Equal(0, e.Data["index"]!.GetValue<int>()));
        Assert.Equal("text", events.Single(static e => e.Name == "content_block_start").Data["content_block"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Count_tokens_passes_through_to_claude_and_is_estimated_elsewhere()
    {
        var claude = await PostAsync("/v1/messages/count_tokens", """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello, Claude"}]}""");
        var compat = await PostAsync("/v1/messages/count_tokens", """{"model":"deepseek-chat","messages":[{"role":"user","content":"Hello, Claude"}]}""");

        Assert.Equal(2095, JsonNode.Parse(await claude.Content.ReadAsStringAsync())!["input_tokens"]!.GetValue<int>());
        Assert.Equal(10, JsonNode.Parse(await compat.Content.ReadAsStringAsync())!["input_tokens"]!.GetValue<int>());
        Assert.Equal("/v1/messages/count_tokens", Assert.Single(_received).Path);
    }

    [Fact]
    public async Task On_an_openai_compatible_platform_messages_are_converted_to_chat_completions()
    {
        var response = await PostAsync("/v1/messages", """{"model":"deepseek-chat","max_tokens":50,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}""");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(HttpStatusCode.OK == response.StatusCode, body.ToJsonString());
        Assert.Equal("message", body["type"]!.GetValue<string>());
        Assert.Equal("Hello from chat", body["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", body["stop_reason"]!.GetValue<string>());
        // OpenAI's 12 prompt tokens include 4 cached ones; Anthropic's input_tokens excludes them.
        Assert.Equal(8, body["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(4, body["usage"]!["cache_read_input_tokens"]!.GetValue<int>());
        var (path, _, sent) = Assert.Single(_received);
        Assert.Equal("/v1/chat/completions", path);
        var chat = JsonNode.Parse(sent)!;
        Assert.Equal("system", chat["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal(50, chat["max_completion_tokens"]?.GetValue<int>() ?? chat["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task On_an_openai_compatible_platform_the_stream_is_anthropics_event_grammar()
    {
        var response = await PostAsync("/compat/v1/messages", """{"model":"deepseek-chat","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(static e => e.Name));
        Assert.Equal("Hello from chat", string.Concat(events.Where(static e => e.Name == "content_block_delta").Select(static e => e.Data["delta"]!["text"]!.GetValue<string>())));
        Assert.Equal(9, events[^2].Data["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_chat_completions_client_reaches_claude_converted_to_messages()
    {
        using var chat = _manifold.CreateAuthorizedClient();

        var response = await chat.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"claude-sonnet-4-5","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(HttpStatusCode.OK == response.StatusCode, body.ToJsonString());
        Assert.Equal("Hello from /messages", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var sent = JsonNode.Parse(Assert.Single(_received).Body)!;
        Assert.Equal("Be brief.", sent["system"]!.GetValue<string>());
        Assert.Equal(4096, sent["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Upstream_errors_keep_anthropics_type_and_status()
    {
        var response = await PostAsync("/v1/messages", """{"model":"claude-overloaded","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal((HttpStatusCode)529, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("overloaded_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Equal("Overloaded", body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_error_event_mid_stream_is_relayed_as_an_anthropic_error_event()
    {
        var response = await PostAsync("/claude/v1/messages", """{"model":"claude-midstream-error","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal(["message_start", "error"], events.Select(static e => e.Name));
        // The error event names the upstream's request, as the stream's response header did.
        Assert.Equal("req_stream_up", Assert.Single(response.Headers.GetValues("request-id")));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_stream_up"}"""), events[^1].Data),
            events[^1].Data.ToJsonString());
    }

    [Fact]
    public async Task Answers_and_errors_name_the_request_as_anthropic_does()
    {
        var relayed = await PostAsync("/claude/v1/messages", """{"model":"claude-overloaded","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""");
        var own = await PostAsync("/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10}""");
        var answer = await PostAsync("/claude/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""");

        // An upstream error keeps the upstream's id, in the header the SDK reads and in the body.
        Assert.Equal("req_up_overloaded", Assert.Single(relayed.Headers.GetValues("request-id")));
        Assert.Equal("req_up_overloaded", JsonNode.Parse(await relayed.Content.ReadAsStringAsync())!["request_id"]!.GetValue<string>());
        // Manifold's own error carries Manifold's id, the same in both places.
        var ownId = Assert.Single(own.Headers.GetValues("request-id"));
        Assert.False(string.IsNullOrEmpty(ownId));
        Assert.Equal(ownId, JsonNode.Parse(await own.Content.ReadAsStringAsync())!["request_id"]!.GetValue<string>());
        Assert.Equal("req_up_answer", Assert.Single(answer.Headers.GetValues("request-id")));
    }

    [Fact]
    public async Task Errors_before_any_upstream_call_are_in_anthropics_shape()
    {
        using var anonymous = _manifold.CreateClient();
        var unauthorized = await anonymous.PostAsync("/v1/messages", new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":1,"messages":[]}""", Encoding.UTF8, "application/json"));
        var invalid = await PostAsync("/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10}""");
        var noMaxTokens = await PostAsync("/v1/messages", """{"model":"deepseek-chat","messages":[{"role":"user","content":"Hi"}]}""");
        var unconvertible = await PostAsync("/v1/messages", """{"model":"deepseek-chat","max_tokens":10,"container":"c1","messages":[{"role":"user","content":"Hi"}]}""");

        await AssertAnthropicError(unauthorized, HttpStatusCode.Unauthorized, "authentication_error");
        await AssertAnthropicError(invalid, HttpStatusCode.BadRequest, "invalid_request_error", "messages");
        await AssertAnthropicError(noMaxTokens, HttpStatusCode.BadRequest, "invalid_request_error", "max_tokens");
        await AssertAnthropicError(unconvertible, HttpStatusCode.BadRequest, "invalid_request_error", "container");
        Assert.Empty(_received);
    }

    [Fact]
    public async Task A_bearer_licence_works_too()
    {
        using var bearer = _manifold.CreateAuthorizedClient();

        var response = await bearer.PostAsync("/v1/messages", new StringContent(
            """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task AssertAnthropicError(HttpResponseMessage response, HttpStatusCode status, string type, string? mentions = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, text);
        var body = JsonNode.Parse(text)!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal(type, body["error"]!["type"]!.GetValue<string>());
        if (mentions is not null)
        {
            Assert.Contains(mentions, body["error"]!["message"]!.GetValue<string>());
        }
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static List<(string Name, JsonNode Data)> Events(string text) =>
        [.. text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(static block =>
        {
            var lines = block.Split('\n');
            var name = lines.Single(static l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.Single(static l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            return (name, JsonNode.Parse(data)!);
        })];

    // ---------------------------------------------------------------- the loopback upstream

    private async Task MessagesAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        _received.Enqueue((http.Request.Path, Headers(http), body));
        var request = JsonNode.Parse(body)!;
        var model = request["model"]!.GetValue<string>();
        if (model == "claude-overloaded")
        {
            http.Response.Headers["request-id"] = "req_up_overloaded";
            await Results.Text("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_up_overloaded"}""", "application/json", statusCode: 529).ExecuteAsync(http);
            return;
        }
        const string Usage = """{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}""";
        if (request["stream"]?.GetValue<bool>() != true)
        {
            http.Response.Headers["request-id"] = "req_up_answer";
            await Results.Text($$"""
                {"id":"msg_up","type":"message","role":"assistant","model":"{{model}}","content":[{"type":"text","text":"Hello from /messages"}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{{Usage}}}
                """, "application/json").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers["request-id"] = "req_stream_up";
        await SendAsync(http, "message_start", $$$"""{"type":"message_start","message":{"id":"msg_up","type":"message","role":"assistant","model":"{{{model}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{{{Usage}}}}}""");
        if (model == "claude-midstream-error")
        {
            await SendAsync(http, "error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""");
            return;
        }
        var text = 0;
        if (model.EndsWith("thinkingstream", StringComparison.Ordinal))
        {
            await SendAsync(http, "content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""");
            await SendAsync(http, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}""");
            await SendAsync(http, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}}""");
            await SendAsync(http, "content_block_stop", """{"type":"content_block_stop","index":0}""");
            text = 1;
        }
        await SendAsync(http, "content_block_start", $$$"""{"type":"content_block_start","index":{{{text}}},"content_block":{"type":"text","text":""}}""");
        await SendAsync(http, "ping", """{"type": "ping"}""");
        await SendAsync(http, "content_block_delta", $$$"""{"type":"content_block_delta","index":{{{text}}},"delta":{"type":"text_delta","text":"Hello from /messages"}}""");
        await SendAsync(http, "content_block_stop", $$"""{"type":"content_block_stop","index":{{text}}}""");
        await SendAsync(http, "message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}""");
        await SendAsync(http, "message_stop", """{"type":"message_stop"}""");
    }

    private async Task CountTokensAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        _received.Enqueue((http.Request.Path, Headers(http), body));
        await Results.Text("""{"input_tokens":2095}""", "application/json").ExecuteAsync(http);
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        _received.Enqueue((http.Request.Path, Headers(http), body));
        var request = JsonNode.Parse(body)!;
        const string Usage = """{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":4}}""";
        if (request["stream"]?.GetValue<bool>() != true)
        {
            await Results.Text($$"""
                {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"deepseek-chat",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from chat","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{{Usage}}}
                """, "application/json").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        foreach (var (delta, finish) in new[] { ("{\"role\":\"assistant\",\"content\":\"Hello\"}", "null"), ("{\"content\":\" from chat\"}", "null"), ("{}", "\"stop\"") })
        {
            var choice = "{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}";
            await SendAsync(http, null, $$"""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"deepseek-chat","choices":[{{choice}}]}""");
        }
        await SendAsync(http, null, $$"""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"deepseek-chat","choices":[],"usage":{{Usage}}}""");
        await SendAsync(http, null, "[DONE]");
    }

    // Copied: Kestrel reuses a request's header collection once the request is over.
    private static Dictionary<string, string> Headers(HttpContext http) =>
        http.Request.Headers.ToDictionary(static h => h.Key, static h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private static async Task SendAsync(HttpContext http, string? name, string data)
    {
        await http.Response.WriteAsync((name is null ? "" : $"event: {name}\n") + $"data: {data}\n\n");
        await http.Response.Body.FlushAsync();
    }
}
