using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Gateway;

/// <summary>
/// POST /v1/responses end to end: on the <c>openai</c> platform it passes through to the upstream's /responses;
/// on an <c>openai-compatible</c> one (which has no /responses) it is converted to Chat Completions and back.
/// </summary>
public sealed class ResponsesGatewayTests : IAsyncLifetime
{
    private LoopbackUpstream _upstream = null!;
    private string _baseUrl = "";
    private ManifoldFactory _manifold = null!;
    private HttpClient _client = null!;
    private readonly ConcurrentQueue<(string Path, string Body)> _received = new();

    public async Task InitializeAsync()
    {
        _upstream = await LoopbackUpstream.StartAsync(app =>
        {
            app.MapPost("/v1/responses", ResponsesAsync);
            app.MapPost("/v1/chat/completions", ChatAsync);
        });
        _baseUrl = _upstream.Root + "/v1";
        _manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Platforms:sandbox:Enabled"] = "false",
            ["Manifold:Platforms:oa:Plugin"] = "openai",
            ["Manifold:Platforms:oa:BaseUrl"] = _baseUrl,
            ["Manifold:Platforms:oa:Accounts:0:Key"] = "sk-oa",
            ["Manifold:Platforms:oa:Models:0"] = "gpt-*",
            ["Manifold:Platforms:compat:Plugin"] = "openai-compatible",
            ["Manifold:Platforms:compat:BaseUrl"] = _baseUrl,
            ["Manifold:Platforms:compat:Accounts:0:Key"] = "sk-compat",
            ["Manifold:Platforms:compat:Models:0"] = "deepseek-*",
        });
        _client = _manifold.CreateAuthorizedClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _manifold.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task On_openai_the_request_and_answer_pass_through()
    {
        var response = await PostAsync("/v1/responses", """{"model":"gpt-4.1","input":"Hi","store":false,"x_vendor":1}""");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("resp_up", body["id"]!.GetValue<string>());
        Assert.Equal("Hello from /responses", body["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        var (path, sent) = Assert.Single(_received);
        Assert.Equal("/v1/responses", path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"model":"gpt-4.1","input":"Hi","store":false,"x_vendor":1}"""), JsonNode.Parse(sent)), sent);
    }

    [Fact]
    public async Task On_openai_a_model_suffix_becomes_the_reasoning_effort()
    {
        await PostAsync("/oa/v1/responses", """{"model":"gpt-5-high","input":"Hi"}""");

        var sent = JsonNode.Parse(Assert.Single(_received).Body)!;
        Assert.Equal("gpt-5", sent["model"]!.GetValue<string>());
        Assert.Equal("high", sent["reasoning"]!["effort"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_openai_the_stream_passes_through_as_named_events_without_done()
    {
        var response = await PostAsync("/v1/responses", """{"model":"gpt-4.1","input":"Hi","stream":true}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString());
        var events = Events(text);
        Assert.Equal(["response.created", "response.output_text.delta", "response.completed"], events.Select(static e => e.Name));
        Assert.All(events, static e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        Assert.DoesNotContain("[DONE]", text);
    }

    [Fact]
    public async Task An_upstream_error_mid_stream_is_an_error_event_after_the_last_sequence_number()
    {
        var response = await PostAsync("/v1/responses", """{"model":"gpt-4.1-fail","input":"Hi","stream":true}""");

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal(["response.created", "response.in_progress", "error"], events.Select(static e => e.Name));
        var error = events[^1].Data;
        Assert.Equal("server_error", error["code"]!.GetValue<string>());
        Assert.Equal("The server had an error while processing your request.", error["message"]!.GetValue<string>());
        Assert.Equal(2, error["sequence_number"]!.GetValue<int>());
    }

    [Fact]
    public async Task On_an_openai_compatible_platform_it_is_converted_to_chat_completions()
    {
        var response = await PostAsync("/v1/responses", """{"model":"deepseek-chat","instructions":"Be brief.","input":"Hi","max_output_tokens":50}""");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(HttpStatusCode.OK == response.StatusCode, body.ToJsonString());
        Assert.Equal("response", body["object"]!.GetValue<string>());
        Assert.Equal("completed", body["status"]!.GetValue<string>());
        Assert.Equal("Hello from chat", body["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(21, body["usage"]!["total_tokens"]!.GetValue<int>());
        var (path, sent) = Assert.Single(_received);
        Assert.Equal("/v1/chat/completions", path);
        var chat = JsonNode.Parse(sent)!;
        Assert.Equal("system", chat["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("user", chat["messages"]![1]!["role"]!.GetValue<string>());
        Assert.Contains("Hi", chat["messages"]![1]!["content"]!.ToJsonString());
    }

    [Fact]
    public async Task On_an_openai_compatible_platform_the_stream_is_the_responses_event_sequence()
    {
        var response = await PostAsync("/compat/v1/responses", """{"model":"deepseek-chat","input":"Hi","stream":true}""");

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.completed",
        ], events.Select(static e => e.Name));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(static e => e.Data["sequence_number"]!.GetValue<int>()));
        Assert.Equal("Hello from chat", events[6].Data["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task What_chat_completions_cannot_carry_is_a_400_in_openais_shape()
    {
        var response = await PostAsync("/v1/responses", """{"model":"deepseek-chat","input":"Hi","previous_response_id":"resp_123"}""");

        await GatewayAssert.OpenAIError(response, HttpStatusCode.BadRequest, "previous_response_id");
        Assert.Empty(_received);
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

    private async Task ResponsesAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        _received.Enqueue((http.Request.Path, body));
        var request = JsonNode.Parse(body)!;
        var model = request["model"]!.GetValue<string>();
        var response = $$$"""
            {"id":"resp_up","object":"response","created_at":1741476542,"status":"completed","error":null,"incomplete_details":null,"instructions":null,
             "model":"{{{model}}}","output":[{"id":"msg_up","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello from /responses","annotations":[]}]}],
             "parallel_tool_calls":true,"temperature":1.0,"top_p":1.0,"tool_choice":"auto","tools":[],"metadata":{},
             "usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":0},"output_tokens":4,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":9}}
            """;
        if (request["stream"]?.GetValue<bool>() != true)
        {
            await Results.Text(response, "application/json").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        var created = JsonNode.Parse(response)!.AsObject();
        created["status"] = "in_progress";
        created["output"] = new JsonArray();
        await SendAsync(http, "response.created", $$"""{"type":"response.created","sequence_number":0,"response":{{created.ToJsonString()}}}""");
        if (model.EndsWith("-fail", StringComparison.Ordinal))
        {
            await SendAsync(http, "response.in_progress", $$"""{"type":"response.in_progress","sequence_number":1,"response":{{created.ToJsonString()}}}""");
            await SendAsync(http, "error", """{"type":"error","code":"server_error","message":"The server had an error while processing your request.","param":null,"sequence_number":2}""");
            return;
        }
        await SendAsync(http, "response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_up","output_index":0,"content_index":0,"delta":"Hello","logprobs":[]}""");
        var completed = JsonNode.Parse(response)!.ToJsonString();
        await SendAsync(http, "response.completed", $$"""{"type":"response.completed","sequence_number":2,"response":{{completed}}}""");
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        _received.Enqueue((http.Request.Path, body));
        var request = JsonNode.Parse(body)!;
        const string Usage = """{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}""";
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

    private static async Task SendAsync(HttpContext http, string? name, string data)
    {
        await http.Response.WriteAsync((name is null ? "" : $"event: {name}\n") + $"data: {data}\n\n");
        await http.Response.Body.FlushAsync();
    }
}
