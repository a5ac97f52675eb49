using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Claude;

public sealed class StreamingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Yields_the_documented_event_sequence_with_thinking_signature_and_tool_input()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            foreach (var (name, data) in AnthropicPayloads.ThinkingAndToolStream)
            {
                await ClaudeFakes.WriteEventAsync(context.Response, name, data);
            }
        }));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        var events = await DrainAsync(platform.CreateMessageStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(AnthropicPayloads.ThinkingAndToolStream.Select(static e => e.Event), events.Select(static e => e.Type));
        var start = events[0].Message!;
        Assert.Equal("msg_014p7gG3wDgGV9EUtLvnow3U", start.Id);
        Assert.Empty(start.Content);
        Assert.Null(start.StopReason);
        Assert.Equal(472, start.Usage.InputTokens);
        Assert.Equal("thinking", events[1].ContentBlock!.Type);
        Assert.Equal("I need the weather tool.", events[3].Delta!.Thinking);
        Assert.Equal("signature_delta", events[4].Delta!.Type);
        Assert.Equal("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds", events[4].Delta!.Signature);
        Assert.Equal(0, events[5].Index);
        Assert.Equal("toolu_01T1x1fJ34qAmk2tNTrN7Up6", events[9].ContentBlock!.Id);
        Assert.Equal(2, events[9].Index);
        var json = string.Concat(events.Skip(10).Take(3).Select(static e => e.Delta!.PartialJson));
        Assert.Equal("San Francisco, CA", JsonNode.Parse(json)!["location"]!.GetValue<string>());
        Assert.Equal("tool_use", events[14].Delta!.StopReason);
        Assert.Equal(89, events[14].Usage!.OutputTokens);
        Assert.Equal("message_stop", events[^1].Type);
    }

    [Fact]
    public async Task Asks_for_an_event_stream_even_when_the_body_did_not()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await ClaudeFakes.WriteEventAsync(context.Response, "message_stop", """{"type":"message_stop"}""");
        }));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);
        var request = MessagesTests.ClientRequest();

        await DrainAsync(platform.CreateMessageStreamAsync(request, TestPlatforms.Context(), CancellationToken.None));

        var sent = upstream.SingleRequest;
        Assert.Equal("/v1/messages", sent.RawTarget);
        Assert.Equal("text/event-stream", sent.Header("Accept"));
        Assert.Equal(TestPlatforms.Key, sent.Header("x-api-key"));
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        Assert.True(JsonNode.Parse(sent.Body)!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Yields_each_event_as_soon_as_it_arrives()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            var (name, data) = AnthropicPayloads.ThinkingAndToolStream[0];
            await ClaudeFakes.WriteEventAsync(context.Response, name, data);
            // Nothing more until the test has seen message_start: a plugin that buffered would never get it.
            await release.Task.WaitAsync(context.RequestAborted);
            await ClaudeFakes.WriteEventAsync(context.Response, "message_stop", """{"type":"message_stop"}""");
        }));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        await using var events = platform.CreateMessageStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();

        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("message_start", events.Current.Type);
        release.SetResult();
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("message_stop", events.Current.Type);
        Assert.False(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task An_error_event_mid_stream_becomes_an_upstream_exception_with_anthropics_type()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            var (name, data) = AnthropicPayloads.ThinkingAndToolStream[0];
            await ClaudeFakes.WriteEventAsync(context.Response, name, data);
            await ClaudeFakes.WriteEventAsync(context.Response, "error", AnthropicPayloads.OverloadedEvent);
        }));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        await using var events = platform.CreateMessageStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var error = await Assert.ThrowsAsync<UpstreamException>(async () => await events.MoveNextAsync());

        Assert.Equal(529, error.StatusCode);
        Assert.Equal("overloaded_error", error.Type);
        Assert.Equal("Overloaded", error.Message);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task An_error_status_surfaces_on_the_first_move()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", () => Results.Text(AnthropicPayloads.RateLimitError, "application/json", statusCode: 429)));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => DrainAsync(platform.CreateMessageStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None)));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal("rate_limit_error", error.Type);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task A_connection_broken_mid_stream_is_unreachable()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            var (name, data) = AnthropicPayloads.ThinkingAndToolStream[0];
            await ClaudeFakes.WriteEventAsync(context.Response, name, data);
            await received.Task.WaitAsync(context.RequestAborted);
            context.Abort();
        }));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        await using var events = platform.CreateMessageStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        received.SetResult();
        var error = await Assert.ThrowsAsync<UpstreamException>(async () => await events.MoveNextAsync());

        Assert.Equal(502, error.StatusCode);
        Assert.Equal("upstream_unreachable", error.Code);
    }

    [Fact]
    public async Task Disposing_the_stream_early_aborts_the_upstream_request()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            var (name, data) = AnthropicPayloads.ThinkingAndToolStream[0];
            await ClaudeFakes.WriteEventAsync(context.Response, name, data);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                aborted.SetResult();
            }
        }));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        var events = platform.CreateMessageStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        await events.DisposeAsync();

        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(1));
    }

    private static CreateMessageRequest StreamRequest()
    {
        var request = MessagesTests.ClientRequest();
        request.Stream = true;
        return request;
    }

    private static async Task<List<MessageStreamEvent>> DrainAsync(IAsyncEnumerable<MessageStreamEvent> stream)
    {
        var events = new List<MessageStreamEvent>();
        await foreach (var streamEvent in stream)
        {
            events.Add(streamEvent);
        }
        return events;
    }
}
