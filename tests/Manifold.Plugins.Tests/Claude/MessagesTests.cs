using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Claude;

public sealed class MessagesTests
{
    // What a client might send: known fields, plus fields Manifold does not model at every level.
    private const string ClientBody = """
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 1024,
          "system": [ { "type": "text", "text": "Be brief.", "cache_control": { "type": "ephemeral" } } ],
          "messages": [
            { "role": "user", "content": [ { "type": "text", "text": "Weather in Paris?", "x_block_note": 1 } ] }
          ],
          "tools": [
            { "name": "get_weather", "input_schema": { "type": "object", "properties": { "city": { "type": "string" } } } },
            { "type": "web_search_20250305", "name": "web_search", "max_uses": 5 }
          ],
          "thinking": { "type": "enabled", "budget_tokens": 2048 },
          "x_custom": { "trace": "abc", "nested": [1, 2.5, null, { "deep": false }] }
        }
        """;

    [Fact]
    public async Task Posts_the_client_body_unchanged_with_the_api_key_and_version()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", () => Results.Text(AnthropicPayloads.TextMessage, "application/json")));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        await platform.CreateMessageAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/messages", sent.RawTarget);
        Assert.Equal(TestPlatforms.Key, sent.Header("x-api-key"));
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        Assert.Null(sent.Header("Authorization"));
        Assert.Equal("application/json", sent.Header("Content-Type"));
        Assert.Equal("application/json", sent.Header("Accept"));
        // Every field the client sent reaches the upstream, unknown and nested ones (server tool settings) included.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ClientBody), JsonNode.Parse(sent.Body)), sent.Body);
    }

    [Fact]
    public async Task Maps_the_official_text_message()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", () => Results.Text(AnthropicPayloads.TextMessage, "application/json")));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        var message = await platform.CreateMessageAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("msg_013Zva2CMHLNnXjNJJKqJ2EF", message.Id);
        Assert.Equal("message", message.Type);
        Assert.Equal("assistant", message.Role);
        Assert.Equal("claude-sonnet-4-5-20250929", message.Model);
        var block = Assert.Single(message.Content);
        Assert.Equal("text", block.Type);
        Assert.Equal("Hi! My name is Claude.", block.Text);
        Assert.Equal("end_turn", message.StopReason);
        Assert.Null(message.StopSequence);
        Assert.Equal(2095, message.Usage.InputTokens);
        Assert.Equal(503, message.Usage.OutputTokens);
        Assert.Equal(0, message.Usage.CacheReadInputTokens);
        Assert.Equal("standard", message.Usage.ServiceTier);
        Assert.Null(message.Validate());
    }

    [Fact]
    public async Task A_relayed_message_keeps_every_null_the_upstream_sent_and_its_request_id()
    {
        // Today's API writes its nullable fields as null; a pass-through must hand them on, not drop them.
        const string Answer = """
            {"id":"msg_01","type":"message","role":"assistant","content":[{"type":"text","text":"Hi","citations":null}],
             "model":"claude-sonnet-4-5","stop_reason":"end_turn","stop_sequence":null,"stop_details":null,"container":null,"diagnostics":null,
             "usage":{"input_tokens":5,"output_tokens":2,"cache_creation_input_tokens":null,"cache_read_input_tokens":null,
                      "cache_creation":null,"server_tool_use":null,"service_tier":"standard","inference_geo":null,"speed":null,
                      "output_tokens_details":null}}
            """;
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", (HttpContext http) =>
        {
            http.Response.Headers["request-id"] = "req_011CSHoEeqs5C35K2UUqR7G9";
            return Results.Text(Answer, "application/json");
        }));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);
        var context = TestPlatforms.Context();

        var message = await platform.CreateMessageAsync(ClientRequest(), context, CancellationToken.None);

        var relayed = JsonSerializer.Serialize(message, ManifoldJson.Options);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Answer), JsonNode.Parse(relayed)), relayed);
        Assert.Equal("req_011CSHoEeqs5C35K2UUqR7G9", context.UpstreamRequestId);
    }

    [Fact]
    public async Task Maps_thinking_and_tool_use_blocks()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", () => Results.Text(AnthropicPayloads.ToolUseMessage, "application/json")));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        var message = await platform.CreateMessageAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["thinking", "text", "tool_use"], message.Content.Select(static b => b.Type));
        Assert.Equal("EqQBCgIYAhIM1gbcDa9GJwZA2b3h", message.Content[0].Signature);
        var tool = message.Content[2];
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", tool.Id);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("San Francisco, CA", tool.Input!.Value.GetProperty("location").GetString());
        Assert.Equal("tool_use", message.StopReason);
    }

    [Fact]
    public async Task Counts_tokens_at_count_tokens()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages/count_tokens", () => Results.Text(AnthropicPayloads.TokenCount, "application/json")));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);
        var request = new CountTokensRequest
        {
            Model = "claude-sonnet-4-5",
            Messages = [new MessageParam { Role = "user", Content = "Hello, world" }],
        };

        var count = await platform.CountTokensAsync(request, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(2095, count.InputTokens);
        var sent = upstream.SingleRequest;
        Assert.Equal("/v1/messages/count_tokens", sent.RawTarget);
        Assert.Equal(TestPlatforms.Key, sent.Header("x-api-key"));
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello, world"}]}"""),
            JsonNode.Parse(sent.Body)), sent.Body);
    }

    [Fact]
    public async Task Sends_no_api_key_without_an_account_but_still_the_version()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", () => Results.Text(AnthropicPayloads.TextMessage, "application/json")));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        await platform.CreateMessageAsync(ClientRequest(), TestPlatforms.Context(account: null), CancellationToken.None);

        Assert.Null(upstream.SingleRequest.Header("x-api-key"));
        Assert.Equal("2023-06-01", upstream.SingleRequest.Header("anthropic-version"));
    }

    [Theory]
    [InlineData("", "/v1/messages")]
    [InlineData("proxy/anthropic", "/proxy/anthropic/v1/messages")]
    [InlineData("proxy/anthropic/", "/proxy/anthropic/v1/messages")]
    public async Task Joins_the_versioned_path_onto_any_base_url(string basePath, string expectedTarget)
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/{**path}", () => Results.Text(AnthropicPayloads.TextMessage, "application/json")));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(new Uri(upstream.Root, basePath));

        await platform.CreateMessageAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(expectedTarget, upstream.SingleRequest.RawTarget);
    }

    [Fact]
    public async Task Default_base_url_is_api_anthropic_com()
    {
        var handler = new CapturingHandler(AnthropicPayloads.TextMessage);
        using var http = new HttpClient(handler);
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(baseUrl: null, http: http);

        await platform.CreateMessageAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(new Uri("https://api.anthropic.com/v1/messages"), handler.LastUri);
    }

    internal static CreateMessageRequest ClientRequest() =>
        JsonSerializer.Deserialize<CreateMessageRequest>(ClientBody, ManifoldJson.Options)!;
}
