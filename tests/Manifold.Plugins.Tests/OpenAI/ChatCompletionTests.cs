using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.OpenAI;

public sealed class ChatCompletionTests
{
    // What a client might send: known fields, plus fields Manifold does not model at every level.
    private const string ClientBody = """
        {
          "model": "gpt-4o-mini",
          "messages": [
            { "role": "system", "content": "Be brief.", "x_message_note": "keep me" },
            { "role": "user", "content": [ { "type": "text", "text": "Hi", "x_part_flag": true } ] }
          ],
          "temperature": 0.2,
          "tools": [
            { "type": "function", "function": { "name": "get_weather", "parameters": { "type": "object", "properties": { "city": { "type": "string" } } }, "x_tool_extra": 1 } }
          ],
          "x_custom": { "trace": "abc", "nested": { "list": [1, 2.5, "three", null, { "deep": false }] } }
        }
        """;

    [Fact]
    public async Task Posts_the_client_body_unchanged_to_chat_completions_with_the_bearer_key()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", () => Results.Text(OfficialPayloads.ChatCompletion, "application/json")));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        await platform.CreateChatCompletionAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/chat/completions", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("application/json", sent.Header("Content-Type"));
        Assert.Equal("application/json", sent.Header("Accept"));
        // Every field the client sent reaches the upstream, unknown and nested ones included.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ClientBody), JsonNode.Parse(sent.Body)), sent.Body);
    }

    [Fact]
    public async Task Maps_the_official_response()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", () => Results.Text(OfficialPayloads.ChatCompletion, "application/json")));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var response = await platform.CreateChatCompletionAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", response.Id);
        Assert.Equal("chat.completion", response.Object);
        Assert.Equal(1741569952, response.Created);
        Assert.Equal("gpt-4.1-2025-04-14", response.Model);
        Assert.Equal("default", response.ServiceTier);
        var choice = Assert.Single(response.Choices);
        Assert.Equal("stop", choice.FinishReason);
        Assert.Equal("assistant", choice.Message.Role);
        Assert.Equal("Hello! How can I assist you today?", choice.Message.Content);
        Assert.NotNull(choice.Message.Annotations);
        Assert.Equal(19, response.Usage!.PromptTokens);
        Assert.Equal(10, response.Usage.CompletionTokens);
        Assert.Equal(29, response.Usage.TotalTokens);
        Assert.Equal(0, response.Usage.PromptTokensDetails!.CachedTokens);
        Assert.Null(response.Validate());
    }

    [Fact]
    public async Task Sends_no_authorization_header_without_an_account()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", () => Results.Text(OfficialPayloads.ChatCompletion, "application/json")));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        await platform.CreateChatCompletionAsync(ClientRequest(), TestPlatforms.Context(account: null), CancellationToken.None);

        Assert.Null(upstream.SingleRequest.Header("Authorization"));
    }

    [Theory]
    [InlineData("v1", "/v1/chat/completions")]
    [InlineData("v1/", "/v1/chat/completions")]
    [InlineData("proxy/openai/v1", "/proxy/openai/v1/chat/completions")]
    [InlineData("openai/v1?api-version=preview", "/openai/v1/chat/completions?api-version=preview")]
    public async Task Joins_the_path_onto_any_base_url(string basePath, string expectedTarget)
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/{**path}", () => Results.Text(OfficialPayloads.ChatCompletion, "application/json")));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(new Uri(upstream.Root, basePath));

        await platform.CreateChatCompletionAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(expectedTarget, upstream.SingleRequest.RawTarget);
    }

    [Fact]
    public async Task Cancellation_aborts_the_upstream_request()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            received.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                aborted.SetResult();
            }
        }));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);
        using var cancellation = new CancellationTokenSource();

        var call = platform.CreateChatCompletionAsync(ClientRequest(), TestPlatforms.Context(), cancellation.Token);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        // The caller's own cancellation stays a cancellation: it is not the upstream's failure.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Default_base_url_is_api_openai_com_v1()
    {
        var handler = new CapturingHandler(OfficialPayloads.ChatCompletion);
        using var http = new HttpClient(handler);
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(baseUrl: null, http: http);

        await platform.CreateChatCompletionAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(new Uri("https://api.openai.com/v1/chat/completions"), handler.LastUri);
    }

    internal static CreateChatCompletionRequest ClientRequest() =>
        JsonSerializer.Deserialize<CreateChatCompletionRequest>(ClientBody, ManifoldJson.Options)!;
}
