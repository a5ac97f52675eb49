using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Gateway;

/// <summary>
/// The Gemini API end to end: on a <c>gemini</c> platform generateContent and streamGenerateContent pass through to
/// the upstream's Gemini API (under /v1beta and /v1, SSE with <c>?alt=sse</c> and a JSON array without); on an
/// <c>openai-compatible</c> platform they are converted to Chat Completions and back; and Chat Completions clients
/// reach the gemini platform converted the other way. The loopback upstream answers as Google and OpenAI document.
/// </summary>
public sealed class GeminiGatewayTests : IAsyncLifetime
{
    private const string UpstreamKey = "AIza-upstream-key";

    private LoopbackUpstream _upstream = null!;
    private ManifoldFactory _manifold = null!;
    private HttpClient _client = null!;
    private readonly ConcurrentQueue<(string Target, Dictionary<string, string> Headers, string Body)> _received = new();

    public async Task InitializeAsync()
    {
        _upstream = await LoopbackUpstream.StartAsync(app =>
        {
            app.MapPost("/v1beta/models/{method}", GeminiAsync);
            app.MapPost("/v1/chat/completions", ChatAsync);
        });
        var root = _upstream.Root;
        _manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Platforms:sandbox:Enabled"] = "false",
            ["Manifold:Platforms:gemini:Plugin"] = "gemini",
            ["Manifold:Platforms:gemini:BaseUrl"] = root,
            ["Manifold:Platforms:gemini:Accounts:0:Key"] = UpstreamKey,
            ["Manifold:Platforms:compat:Plugin"] = "openai-compatible",
            ["Manifold:Platforms:compat:BaseUrl"] = root + "/v1",
            ["Manifold:Platforms:compat:Accounts:0:Key"] = "sk-compat",
            ["Manifold:Platforms:compat:Models:0"] = "deepseek-*",
        });
        // Google's SDKs send the key as x-goog-api-key; curl examples use ?key=.
        _client = _manifold.CreateClient();
        _client.DefaultRequestHeaders.Add("x-goog-api-key", ManifoldFactory.LicenceKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _manifold.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task On_gemini_the_request_and_answer_pass_through_with_the_upstream_key()
    {
        const string Request = """{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"maxOutputTokens":50},"x_vendor":1}""";

        var response = await PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", Request);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(HttpStatusCode.OK == response.StatusCode, body.ToJsonString());
        Assert.Equal("Hello from Gemini", body["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        var (target, headers, sent) = Assert.Single(_received);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", target);
        Assert.Equal(UpstreamKey, headers["x-goog-api-key"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Request), JsonNode.Parse(sent)), sent);
    }

    [Theory]
    [InlineData("/v1/models/gemini-2.5-flash:generateContent")]
    [InlineData("/gemini/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("/gemini/v1/models/gemini-2.5-flash:generateContent")]
    public async Task Is_served_under_v1_and_per_platform_too(string path)
    {
        var response = await PostAsync(path, """{"contents":[{"parts":[{"text":"Hi"}]}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", Assert.Single(_received).Target);
    }

    [Fact]
    public async Task A_key_in_the_query_is_a_licence_too()
    {
        using var anonymous = _manifold.CreateClient();

        var response = await anonymous.PostAsync($"/v1beta/models/gemini-2.5-flash:generateContent?key={ManifoldFactory.LicenceKey}",
            new StringContent("""{"contents":[{"parts":[{"text":"Hi"}]}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_alt_sse_the_stream_passes_through_as_server_sent_events()
    {
        var response = await PostAsync("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", """{"contents":[{"parts":[{"text":"Hi"}]}]}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString());
        var chunks = text.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries).Select(static e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.Equal(["Hello", " from Gemini"], chunks.Select(static c => c["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>()));
        Assert.Equal("STOP", chunks[^1]["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", Assert.Single(_received).Target);
    }

    [Fact]
    public async Task Without_alt_sse_the_stream_is_one_json_array()
    {
        var response = await PostAsync("/v1/models/gemini-2.5-flash:streamGenerateContent", """{"contents":[{"parts":[{"text":"Hi"}]}]}""");

        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var chunks = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(2, chunks.Count);
        Assert.Equal(12, chunks[1]!["usageMetadata"]!["totalTokenCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_model_suffix_becomes_the_thinking_config_and_leaves_the_path()
    {
        await PostAsync("/v1beta/models/gemini-2.5-flash-thinking:generateContent", """{"contents":[{"parts":[{"text":"Hi"}]}]}""");

        var (target, _, sent) = Assert.Single(_received);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", target);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"includeThoughts":true,"thinkingBudget":8192}"""), JsonNode.Parse(sent)!["generationConfig"]!["thinkingConfig"]), sent);
    }

    [Fact]
    public async Task On_an_openai_compatible_platform_gemini_requests_are_converted_to_chat_completions()
    {
        var response = await PostAsync("/v1beta/models/deepseek-chat:generateContent",
            """{"system_instruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"maxOutputTokens":50}}""");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(HttpStatusCode.OK == response.StatusCode, body.ToJsonString());
        var candidate = body["candidates"]![0]!;
        Assert.Equal("Hello from chat", candidate["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("model", candidate["content"]!["role"]!.GetValue<string>());
        Assert.Equal("STOP", candidate["finishReason"]!.GetValue<string>());
        // OpenAI's prompt_tokens include cached tokens, as Gemini's promptTokenCount does.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"promptTokenCount":12,"cachedContentTokenCount":4,"candidatesTokenCount":9,"totalTokenCount":21}"""), body["usageMetadata"]), body.ToJsonString());
        var (target, _, sent) = Assert.Single(_received);
        Assert.Equal("/v1/chat/completions", target);
        var chat = JsonNode.Parse(sent)!;
        Assert.Equal("deepseek-chat", chat["model"]!.GetValue<string>());
        Assert.Equal("system", chat["messages"]![0]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_an_openai_compatible_platform_the_stream_is_geminis_chunks()
    {
        var response = await PostAsync("/compat/v1beta/models/deepseek-chat:streamGenerateContent?alt=sse", """{"contents":[{"parts":[{"text":"Hi"}]}]}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.OK == response.StatusCode, text);
        var chunks = text.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries).Select(static e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.Equal("Hello from chat", string.Concat(chunks.Select(static c => c["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>())));
        Assert.Equal("STOP", chunks[^1]["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.Equal(21, chunks[^1]["usageMetadata"]!["totalTokenCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_chat_completions_client_reaches_gemini_converted()
    {
        using var chat = _manifold.CreateAuthorizedClient();

        var response = await chat.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"gemini-2.5-flash","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"max_completion_tokens":40}""", Encoding.UTF8, "application/json"));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(HttpStatusCode.OK == response.StatusCode, body.ToJsonString());
        Assert.Equal("Hello from Gemini", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var (target, headers, sent) = Assert.Single(_received);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", target);
        Assert.Equal(UpstreamKey, headers["x-goog-api-key"]);
        var gemini = JsonNode.Parse(sent)!;
        Assert.Equal("Be brief.", gemini["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(40, gemini["generationConfig"]!["maxOutputTokens"]!.GetValue<int>());
        Assert.Null(gemini["model"]);
    }

    [Fact]
    public async Task Upstream_errors_keep_googles_code_and_status()
    {
        var response = await PostAsync("/v1beta/models/gemini-quota:generateContent", """{"contents":[{"parts":[{"text":"Hi"}]}]}""");

        await AssertGeminiError(response, HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED", "quota");
    }

    [Fact]
    public async Task Errors_before_any_upstream_call_are_in_googles_shape()
    {
        using var anonymous = _manifold.CreateClient();
        var unauthorized = await anonymous.PostAsync("/v1beta/models/gemini-2.5-flash:generateContent",
            new StringContent("""{"contents":[{"parts":[{"text":"Hi"}]}]}""", Encoding.UTF8, "application/json"));
        var invalid = await PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", """{"generationConfig":{}}""");
        var unknown = await PostAsync("/v1beta/models/llama-3:generateContent", """{"contents":[{"parts":[{"text":"Hi"}]}]}""");
        var unconvertible = await PostAsync("/v1beta/models/deepseek-chat:generateContent", """{"contents":[{"parts":[{"text":"Hi"}]}],"tools":[{"googleSearch":{}}]}""");

        await AssertGeminiError(unauthorized, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        await AssertGeminiError(invalid, HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "contents");
        await AssertGeminiError(unknown, HttpStatusCode.NotFound, "NOT_FOUND", "llama-3");
        await AssertGeminiError(unconvertible, HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "tools[0].googleSearch");
        Assert.Empty(_received);
    }

    private static async Task AssertGeminiError(HttpResponseMessage response, HttpStatusCode status, string googleStatus, string? mentions = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, text);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal((int)status, error["code"]!.GetValue<int>());
        Assert.Equal(googleStatus, error["status"]!.GetValue<string>());
        if (mentions is not null)
        {
            Assert.Contains(mentions, error["message"]!.GetValue<string>());
        }
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    // ---------------------------------------------------------------- the loopback upstream

    private async Task GeminiAsync(HttpContext http, string method)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        _received.Enqueue((http.Request.Path + http.Request.QueryString, Headers(http), body));
        if (method.StartsWith("gemini-quota", StringComparison.Ordinal))
        {
            http.Response.StatusCode = 429;
            await http.Response.WriteAsJsonAsync(JsonNode.Parse("""{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED"}}"""));
            return;
        }
        const string Usage = "\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":4,\"totalTokenCount\":12}";
        if (method.EndsWith(":streamGenerateContent", StringComparison.Ordinal))
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync("""data: {"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"r1"}""" + "\r\n\r\n");
            await http.Response.WriteAsync("""data: {"candidates":[{"content":{"parts":[{"text":" from Gemini"}],"role":"model"},"finishReason":"STOP","index":0}],""" + Usage + ""","modelVersion":"gemini-2.5-flash","responseId":"r1"}""" + "\r\n\r\n");
            return;
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("""{"candidates":[{"content":{"parts":[{"text":"Hello from Gemini"}],"role":"model"},"finishReason":"STOP","index":0}],""" + Usage + ""","modelVersion":"gemini-2.5-flash","responseId":"r1"}""");
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        _received.Enqueue((http.Request.Path + http.Request.QueryString, Headers(http), body));
        const string Usage = """{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":4}}""";
        if (JsonNode.Parse(body)!["stream"]?.GetValue<bool>() == true)
        {
            http.Response.ContentType = "text/event-stream";
            foreach (var delta in new[] { "Hello", " from chat" })
            {
                await http.Response.WriteAsync("data: " + $$"""{"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-chat","choices":[{"index":0,"delta":{"content":"{{delta}}"},"finish_reason":null}]}""" + "\n\n");
            }
            await http.Response.WriteAsync("data: " + """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-chat","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n");
            await http.Response.WriteAsync("data: " + """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-chat","choices":[],"usage":""" + Usage + "}\n\n");
            await http.Response.WriteAsync("data: [DONE]\n\n");
            return;
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("""{"id":"c1","object":"chat.completion","created":1,"model":"deepseek-chat","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from chat"},"finish_reason":"stop"}],"usage":""" + Usage + "}");
    }

    private static Dictionary<string, string> Headers(HttpContext http) =>
        http.Request.Headers.ToDictionary(static h => h.Key.ToLowerInvariant(), static h => h.Value.ToString());
}
