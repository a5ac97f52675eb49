using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;

namespace Manifold.Host.Tests.Gateway;

/// <summary>Chat completions end to end: client → Manifold → openai plugin → loopback upstream.</summary>
public sealed class ChatCompletionsThroughOpenAIPlatformTests : IAsyncLifetime
{
    private FakeOpenAIUpstream _upstream = null!;
    private ManifoldFactory _manifold = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeOpenAIUpstream.StartAsync();
        _manifold = ManifoldFactory.WithOpenAIUpstream(_upstream.BaseUrl, "sk-upstream-1");
        _client = _manifold.CreateAuthorizedClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _manifold.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private const string SimpleRequest = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/up/v1/chat/completions")]
    public async Task Non_streaming_answer_comes_back_as_the_upstream_sent_it(string path)
    {
        var response = await _client.PostAsync(path, Json(SimpleRequest));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIUpstream.CompletionText, body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", body["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(29, body["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Equal(0, body["usage"]!["completion_tokens_details"]!["reasoning_tokens"]!.GetValue<int>());
        Assert.Equal("fp_44709d6fcb", body["system_fingerprint"]!.GetValue<string>());

        var upstreamCall = Assert.Single(_upstream.Requests);
        Assert.Equal("/v1/chat/completions", upstreamCall.Path);
        Assert.Equal("Bearer sk-upstream-1", upstreamCall.Authorization);
    }

    [Fact]
    public async Task Fields_Manifold_does_not_model_reach_the_upstream()
    {
        var request = """
            {"model":"gpt-4o-mini","x_vendor_flag":{"deep":[1,2]},
             "messages":[{"role":"user","content":[{"type":"text","text":"Hi","x_part_extra":true}],"x_message_extra":"kept"}],
             "temperature":0.2,"stop":["END"],"tool_choice":"auto",
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """;

        var response = await _client.PostAsync("/v1/chat/completions", Json(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = JsonNode.Parse(Assert.Single(_upstream.Requests).Body)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"deep":[1,2]}"""), sent["x_vendor_flag"]));
        Assert.Equal("kept", sent["messages"]![0]!["x_message_extra"]!.GetValue<string>());
        Assert.True(sent["messages"]![0]!["content"]![0]!["x_part_extra"]!.GetValue<bool>());
        Assert.Equal(0.2, sent["temperature"]!.GetValue<double>());
        Assert.Equal("END", sent["stop"]![0]!.GetValue<string>());
        Assert.Equal("auto", sent["tool_choice"]!.GetValue<string>());
        Assert.Equal("string", sent["tools"]![0]!["function"]!["parameters"]!["properties"]!["city"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Streaming_relays_every_chunk_and_the_done_marker()
    {
        var request = """{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""";

        var response = await _client.PostAsync("/v1/chat/completions", Json(request));
        var events = await GatewayAssert.SseData(response);

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(static e => JsonNode.Parse(e)!).ToList();
        Assert.All(chunks, static c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        var text = string.Concat(chunks.Where(static c => c["choices"]!.AsArray().Count > 0)
            .Select(static c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>()));
        Assert.Equal(FakeOpenAIUpstream.CompletionText, text);
        // The official chunk writes finish_reason even while it is null.
        Assert.Contains("\"finish_reason\":null", events[1]);
        Assert.Equal("stop", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(29, chunks[^1]["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Streaming_is_not_buffered_and_a_client_disconnect_cancels_the_upstream()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"gpt-gated-stream","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var reader = new StreamReader(stream);
        // The first chunk arrives while the upstream is still holding the rest back.
        var first = await reader.ReadLineAsync(timeout.Token);
        Assert.StartsWith("data: {", first);
        Assert.Contains("\"role\":\"assistant\"", first);
        Assert.False(_upstream.Gate.Task.IsCompleted);

        response.Dispose();
        await _upstream.UpstreamAborted.Task.WaitAsync(timeout.Token);
    }

    [Theory]
    [InlineData("{", null)]
    [InlineData("[]", null)]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}]}""", "model")]
    [InlineData("""{"model":"gpt-4o-mini"}""", "messages")]
    [InlineData("""{"model":"gpt-4o-mini","messages":"Hi"}""", "messages")]
    [InlineData("""{"model":42,"messages":[]}""", "model")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[{"content":"Hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"text":"x"}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[null]}""", "messages[0]")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[],"stream":"yes"}""", "stream")]
    public async Task Bad_input_gets_a_400_in_OpenAI_shape_naming_the_field(string body, string? param)
    {
        var response = await _client.PostAsync("/v1/chat/completions", Json(body));

        var error = await GatewayAssert.OpenAIError(response, HttpStatusCode.BadRequest, param);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task Empty_body_gets_a_400()
    {
        var response = await _client.PostAsync("/v1/chat/completions", new ByteArrayContent([]));

        await GatewayAssert.OpenAIError(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_platform_and_unknown_model_get_404s()
    {
        var platform = await _client.PostAsync("/nowhere/v1/chat/completions", Json(SimpleRequest));
        var model = await _client.PostAsync("/v1/chat/completions", Json("""{"model":"no-such-model","messages":[{"role":"user","content":"Hi"}]}"""));

        await GatewayAssert.OpenAIError(platform, HttpStatusCode.NotFound, code: "platform_not_found");
        await GatewayAssert.OpenAIError(model, HttpStatusCode.NotFound, "model", "model_not_found");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    public async Task Missing_or_wrong_licence_gets_a_401(string? authorization)
    {
        using var client = _manifold.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.PostAsync("/v1/chat/completions", Json(SimpleRequest));

        var error = await GatewayAssert.OpenAIError(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("wrong-key", error.GetProperty("message").GetString());
        Assert.Empty(_upstream.Requests);
    }

    [Theory]
    [InlineData("Authorization", ManifoldFactory.LicenceKey)]
    [InlineData("X-Api-Key", ManifoldFactory.LicenceKey)]
    [InlineData("X-Goog-Api-Key", ManifoldFactory.LicenceKey)]
    public async Task Licence_is_accepted_from_every_documented_header(string header, string value)
    {
        using var client = _manifold.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation(header, value);

        var response = await client.PostAsync("/v1/chat/completions", Json(SimpleRequest));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Licence_is_accepted_from_the_query_string()
    {
        using var client = _manifold.CreateClient();

        var response = await client.PostAsync($"/v1/chat/completions?key={ManifoldFactory.LicenceKey}", Json(SimpleRequest));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(400, "messages", "invalid_value")]
    [InlineData(429, null, "rate_limit_exceeded")]
    [InlineData(500, null, null)]
    public async Task Upstream_errors_come_back_with_their_status_and_message(int status, string? param, string? code)
    {
        var response = await _client.PostAsync("/v1/chat/completions", Json($$"""{"model":"gpt-error-{{status}}","messages":[{"role":"user","content":"Hi"}]}"""));

        var error = await GatewayAssert.OpenAIError(response, (HttpStatusCode)status, param, code);
        Assert.Equal($"Upstream says {status}.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Upstream_rejecting_the_platform_account_is_a_502_not_the_clients_401()
    {
        var response = await _client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-error-401","messages":[{"role":"user","content":"Hi"}]}"""));

        var error = await GatewayAssert.OpenAIError(response, HttpStatusCode.BadGateway, code: "upstream_auth_failed");
        Assert.Contains("'up'", error.GetProperty("message").GetString());
        Assert.Contains("Upstream says 401.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Upstream_error_before_a_stream_starts_is_an_error_response_not_a_broken_stream()
    {
        var response = await _client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-error-400","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));

        await GatewayAssert.OpenAIError(response, HttpStatusCode.BadRequest, "messages");
    }

    [Fact]
    public async Task Models_are_listed_per_platform_and_merged_at_the_root()
    {
        var platform = JsonNode.Parse(await _client.GetStringAsync("/up/v1/models"))!;
        var root = JsonNode.Parse(await _client.GetStringAsync("/v1/models"))!;
        var one = JsonNode.Parse(await _client.GetStringAsync("/v1/models/gpt-4.1"))!;

        Assert.Equal("list", platform["object"]!.GetValue<string>());
        Assert.Equal(["gpt-4o-mini", "gpt-4.1"], platform["data"]!.AsArray().Select(static m => m!["id"]!.GetValue<string>()));
        var rootIds = root["data"]!.AsArray().Select(static m => m!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("gpt-4o-mini", rootIds);
        Assert.Contains(rootIds, static id => id.StartsWith("sandbox-", StringComparison.Ordinal));
        Assert.Equal("gpt-4.1", one["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_served_OpenAPI_document_describes_the_spec_endpoints()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        Assert.True(paths.ContainsKey("/v1/chat/completions"));
        Assert.True(paths.ContainsKey("/{platform}/v1/chat/completions"));
        Assert.True(paths.ContainsKey("/v1/models"));
        Assert.True(paths.ContainsKey("/v1/models/{model}"));
        Assert.NotNull(paths["/v1/chat/completions"]!["post"]!["requestBody"]);
    }

    [Fact]
    public async Task Unknown_paths_get_an_OpenAI_shaped_404()
    {
        var response = await _client.GetAsync("/v1/nothing-here");

        await GatewayAssert.OpenAIError(response, HttpStatusCode.NotFound, code: "unknown_url");
    }
}
