using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Gateway;

/// <summary>
/// Token counting for every client on every platform kind: Gemini's countTokens (under /v1beta, /v1 and /{platform}),
/// Anthropic's count_tokens and OpenAI's responses/input_tokens. Each platform counts with its upstream's own counter
/// (gemini: countTokens; claude: count_tokens; openai: input_tokens), the others (openai-compatible, sandbox) estimate as
/// Anthropic clients' counts always were. The loopback upstream counts as the three APIs do and checks what they check.
/// </summary>
public sealed class CountTokensGatewayTests : IAsyncLifetime
{
    private static readonly HashSet<string> InputTokensFields =
        ["model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "reasoning", "text", "previous_response_id", "conversation", "truncation"];

    private LoopbackUpstream _upstream = null!;
    private ManifoldFactory _manifold = null!;
    private readonly ConcurrentQueue<(string Path, JsonObject Body)> _received = new();

    public async Task InitializeAsync()
    {
        _upstream = await LoopbackUpstream.StartAsync(app =>
        {
            app.MapPost("/v1beta/models/{method}", GeminiAsync);
            app.MapPost("/v1/messages/count_tokens", (Delegate)AnthropicAsync);
            app.MapPost("/v1/responses/input_tokens", (Delegate)OpenAIAsync);
        });
        var root = _upstream.Root;
        _manifold = ManifoldFactory.WithEveryTextPlatform(root);
    }

    public async Task DisposeAsync()
    {
        await _manifold.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<IResult> GeminiAsync(HttpContext http, string method)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        _received.Enqueue((http.Request.Path, body));
        if (!method.EndsWith(":countTokens", StringComparison.Ordinal))
        {
            return Results.Text("""{"error":{"code":404,"message":"Not found","status":"NOT_FOUND"}}""", "application/json", statusCode: 404);
        }
        // As Google: a whole request must name its model inside; there must be something to count.
        var whole = body["generateContentRequest"];
        if (whole is not null && whole["model"]?.GetValue<string>()?.StartsWith("models/", StringComparison.Ordinal) != true)
        {
            return Results.Text("""{"error":{"code":400,"message":"* CountTokensRequest.generate_content_request.model: unexpected model name format","status":"INVALID_ARGUMENT"}}""", "application/json", statusCode: 400);
        }
        if ((whole ?? body)["contents"] is not JsonArray { Count: > 0 })
        {
            return Results.Text("""{"error":{"code":400,"message":"* GenerateContentRequest.contents: contents is not specified","status":"INVALID_ARGUMENT"}}""", "application/json", statusCode: 400);
        }
        return Results.Text("""{"totalTokens":31,"cachedContentTokenCount":4,"promptTokensDetails":[{"modality":"TEXT","tokenCount":31}]}""", "application/json");
    }

    private async Task<IResult> AnthropicAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        _received.Enqueue((http.Request.Path, body));
        if (!http.Request.Headers.ContainsKey("anthropic-version") || body.ContainsKey("max_tokens"))
        {
            return Results.Text("""{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Extra inputs are not permitted"}}""", "application/json", statusCode: 400);
        }
        return body["messages"]![0]!["content"]!.ToJsonString().Contains("FAIL", StringComparison.Ordinal)
            ? Results.Text("""{"type":"error","error":{"type":"invalid_request_error","message":"messages: the request asked to FAIL"}}""", "application/json", statusCode: 400)
            : Results.Text("""{"input_tokens":23}""", "application/json");
    }

    private async Task<IResult> OpenAIAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        _received.Enqueue((http.Request.Path, body));
        if (body.Select(static p => p.Key).FirstOrDefault(static k => !InputTokensFields.Contains(k)) is { } unknown)
        {
            return Results.Text($$$"""{"error":{"message":"Unknown parameter: '{{{unknown}}}'.","type":"invalid_request_error","param":"{{{unknown}}}","code":"unknown_parameter"}}""", "application/json", statusCode: 400);
        }
        return Results.Text("""{"object":"response.input_tokens","input_tokens":17}""", "application/json");
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body, string Text)> PostAsync(string path, string json, string? header = "x-goog-api-key")
    {
        using var client = _manifold.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        switch (header)
        {
            case "x-goog-api-key":
                request.Headers.Add("x-goog-api-key", ManifoldFactory.LicenceKey);
                break;
            case "x-api-key":
                request.Headers.Add("x-api-key", ManifoldFactory.LicenceKey);
                request.Headers.Add("anthropic-version", "2023-06-01");
                break;
            default:
                request.Headers.Add("Authorization", "Bearer " + ManifoldFactory.LicenceKey);
                break;
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), text);
    }

    private const string GeminiContents = """{"contents":[{"role":"user","parts":[{"text":"Hello, Claude"}]}]}""";

    private const string GeminiWhole = """
        {"generate_content_request":{"system_instruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"Hello, Claude"}]}],
         "tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"object"}}]}],"generationConfig":{"temperature":0.3,"seed":5}}}
        """;

    [Theory]
    [InlineData("/v1beta/models/gemini-2.5-flash:countTokens")]
    [InlineData("/v1/models/gemini-2.5-flash:countTokens")]
    [InlineData("/gemini/v1beta/models/gemini-2.5-flash:countTokens")]
    [InlineData("/gemini/v1/models/gemini-2.5-flash:countTokens")]
    public async Task On_gemini_countTokens_passes_through_with_googles_details(string path)
    {
        var (status, body, text) = await PostAsync(path, GeminiContents);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("""{"totalTokens":31,"cachedContentTokenCount":4,"promptTokensDetails":[{"modality":"TEXT","tokenCount":31}]}""", body!.ToJsonString());
        var (upstreamPath, sent) = Assert.Single(_received);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:countTokens", upstreamPath);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(GeminiContents), sent), sent.ToJsonString());
    }

    [Fact]
    public async Task On_gemini_a_whole_request_names_the_resolved_model_inside()
    {
        var (status, body, text) = await PostAsync("/v1beta/models/gemini-2.5-flash-thinking:countTokens", GeminiWhole);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(31, body!["totalTokens"]!.GetValue<int>());
        var (upstreamPath, sent) = Assert.Single(_received);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:countTokens", upstreamPath);
        Assert.Equal("models/gemini-2.5-flash", sent["generateContentRequest"]!["model"]!.GetValue<string>());
        // The -thinking suffix became Gemini's own thinking setting, as for generateContent.
        Assert.NotNull(sent["generateContentRequest"]!["generationConfig"]!["thinkingConfig"]);
    }

    [Theory]
    [InlineData("/v1beta/models/claude-sonnet-4-5:countTokens")]
    [InlineData("/claude/v1/models/claude-sonnet-4-5:countTokens")]
    public async Task On_claude_countTokens_asks_anthropics_count_tokens(string path)
    {
        var (status, body, text) = await PostAsync(path, GeminiWhole);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("""{"totalTokens":23}""", body!.ToJsonString());
        var (upstreamPath, sent) = Assert.Single(_received);
        Assert.Equal("/v1/messages/count_tokens", upstreamPath);
        Assert.Equal(
            """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello, Claude"}],"system":"Be brief.","tools":[{"name":"f","input_schema":{"type":"object"}}]}""",
            sent.ToJsonString());
    }

    [Theory]
    [InlineData("/v1beta/models/gpt-4o:countTokens")]
    [InlineData("/openai/v1beta/models/gpt-4o:countTokens")]
    public async Task On_openai_countTokens_asks_openais_input_tokens(string path)
    {
        var (status, body, text) = await PostAsync(path, GeminiWhole);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("""{"totalTokens":17}""", body!.ToJsonString());
        var (upstreamPath, sent) = Assert.Single(_received);
        Assert.Equal("/v1/responses/input_tokens", upstreamPath);
        Assert.Equal("gpt-4o", sent["model"]!.GetValue<string>());
        Assert.Equal("Be brief.", sent["instructions"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1beta/models/deepseek-chat:countTokens")]
    [InlineData("/compat/v1beta/models/deepseek-chat:countTokens")]
    [InlineData("/sandbox/v1beta/models/sandbox-echo:countTokens")]
    [InlineData("/v1/models/sandbox-echo:countTokens")]
    public async Task Platforms_without_a_counter_estimate_as_for_anthropic_clients(string path)
    {
        var (status, gemini, text) = await PostAsync(path, GeminiWhole);
        var model = path[(path.LastIndexOf('/') + 1)..path.IndexOf(':')];
        var (_, anthropic, _) = await PostAsync(path.StartsWith("/v1", StringComparison.Ordinal) ? "/v1/messages/count_tokens" : path[..path.IndexOf("/v1", StringComparison.Ordinal)] + "/v1/messages/count_tokens",
            $$$"""{"model":"{{{model}}}","system":"Be brief.","messages":[{"role":"user","content":"Hello, Claude"}],"tools":[{"name":"f","input_schema":{"type":"object"}}]}""", "x-api-key");

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(anthropic!["input_tokens"]!.GetValue<long>(), gemini!["totalTokens"]!.GetValue<long>());
        Assert.Equal(["totalTokens"], gemini.AsObject().Select(static p => p.Key));
        Assert.Empty(_received);
    }

    [Theory]
    [InlineData("gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:countTokens", 31)]
    [InlineData("gpt-4o", "/v1/responses/input_tokens", 17)]
    [InlineData("claude-sonnet-4-5", "/v1/messages/count_tokens", 23)]
    public async Task Anthropic_clients_count_with_each_platforms_own_counter(string model, string upstreamPath, int tokens)
    {
        var (status, body, text) = await PostAsync("/v1/messages/count_tokens", $$"""{"model":"{{model}}","system":"Be brief.","messages":[{"role":"user","content":"Hello"}]}""", "x-api-key");

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(tokens, body!["input_tokens"]!.GetValue<int>());
        Assert.Equal(upstreamPath, Assert.Single(_received).Path);
    }

    [Theory]
    [InlineData("gpt-4o", "/v1/responses/input_tokens", 17)]
    [InlineData("claude-sonnet-4-5", "/v1/messages/count_tokens", 23)]
    [InlineData("gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:countTokens", 31)]
    public async Task Responses_clients_count_at_input_tokens_on_every_platform(string model, string upstreamPath, int tokens)
    {
        var (status, body, text) = await PostAsync("/v1/responses/input_tokens", $$"""{"model":"{{model}}","instructions":"Be brief.","input":"Hello"}""", "bearer");

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal($$"""{"object":"response.input_tokens","input_tokens":{{tokens}}}""", body!.ToJsonString());
        Assert.Equal(upstreamPath, Assert.Single(_received).Path);
    }

    [Theory]
    [InlineData("/v1/responses/input_tokens")]
    [InlineData("/compat/v1/responses/input_tokens")]
    public async Task Responses_clients_are_estimated_where_there_is_no_counter(string path)
    {
        var (status, body, text) = await PostAsync(path, """{"model":"deepseek-chat","instructions":"Be brief.","input":"Hello, Claude"}""", "bearer");
        var (_, anthropic, _) = await PostAsync("/v1/messages/count_tokens", """{"model":"deepseek-chat","system":"Be brief.","messages":[{"role":"user","content":"Hello, Claude"}]}""", "x-api-key");

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(anthropic!["input_tokens"]!.GetValue<long>(), body!["input_tokens"]!.GetValue<long>());
        Assert.Empty(_received);
    }

    [Fact]
    public async Task An_upstream_refusal_reaches_a_gemini_client_in_googles_shape()
    {
        var (status, body, text) = await PostAsync("/v1beta/models/claude-sonnet-4-5:countTokens", """{"contents":[{"parts":[{"text":"FAIL"}]}]}""");

        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Equal(["code", "message", "status"], body!["error"]!.AsObject().Select(static p => p.Key));
        Assert.Equal("INVALID_ARGUMENT", body["error"]!["status"]!.GetValue<string>());
        Assert.Contains("FAIL", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1beta/models/no-such-model:countTokens", GeminiContents, HttpStatusCode.NotFound, "NOT_FOUND")]
    [InlineData("/v1beta/models/gemini-2.5-flash:countTokens", "", HttpStatusCode.BadRequest, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/gemini-2.5-flash:countTokens", "[1]", HttpStatusCode.BadRequest, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/deepseek-chat:countTokens", "{}", HttpStatusCode.BadRequest, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/deepseek-chat:countTokens", """{"contents":[{"parts":[{"text":"x"}]}],"cachedContent":"cachedContents/abc"}""", HttpStatusCode.BadRequest, "INVALID_ARGUMENT")]
    public async Task Errors_come_in_googles_shape(string path, string json, HttpStatusCode expected, string googleStatus)
    {
        var (status, body, text) = await PostAsync(path, json);

        Assert.True(status == expected, text);
        Assert.Equal(googleStatus, body!["error"]!["status"]!.GetValue<string>());
        Assert.Equal((int)expected, body["error"]!["code"]!.GetValue<int>());
    }
}
