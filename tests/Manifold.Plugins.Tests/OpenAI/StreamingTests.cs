using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.OpenAI;

public sealed class StreamingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Yields_each_chunk_as_soon_as_it_arrives()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteAsync(context.Response, OfficialPayloads.Chunk1);
            // Nothing more until the test has seen chunk 1: a plugin that buffered the stream would never get it.
            await release.Task.WaitAsync(context.RequestAborted);
            await Sse.WriteAsync(context.Response, OfficialPayloads.Chunk2);
            await Sse.WriteAsync(context.Response, OfficialPayloads.FinishChunk);
            await Sse.WriteAsync(context.Response, "[DONE]");
        }));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        await using var chunks = platform.CreateChatCompletionStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();

        Assert.True(await chunks.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("chatcmpl-123", chunks.Current.Id);
        Assert.Equal("chat.completion.chunk", chunks.Current.Object);
        Assert.Equal("assistant", Assert.Single(chunks.Current.Choices).Delta.Role);
        release.SetResult();
        Assert.True(await chunks.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("Hello", Assert.Single(chunks.Current.Choices).Delta.Content);
        Assert.True(await chunks.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("stop", Assert.Single(chunks.Current.Choices).FinishReason);
        Assert.False(await chunks.MoveNextAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Sends_the_request_for_an_event_stream()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteAsync(context.Response, "[DONE]");
        }));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        await DrainAsync(platform.CreateChatCompletionStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None));

        var sent = upstream.SingleRequest;
        Assert.Equal("/v1/chat/completions", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("text/event-stream", sent.Header("Accept"));
        var body = JsonNode.Parse(sent.Body)!;
        Assert.True(body["stream"]!.GetValue<bool>());
        Assert.True(body["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal("abc", body["x_custom"]!["trace"]!.GetValue<string>());
    }

    [Fact]
    public async Task Done_ends_the_stream_even_while_the_connection_stays_open()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteAsync(context.Response, OfficialPayloads.Chunk1);
            await Sse.WriteAsync(context.Response, "[DONE]");
            await finished.Task.WaitAsync(context.RequestAborted);
        }));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var chunks = await DrainAsync(platform.CreateChatCompletionStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None)).WaitAsync(Patience);
        finished.SetResult();

        Assert.Equal("chatcmpl-123", Assert.Single(chunks).Id);
    }

    [Fact]
    public async Task An_error_event_inside_the_stream_becomes_an_upstream_exception()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteAsync(context.Response, OfficialPayloads.Chunk1);
            await Sse.WriteAsync(context.Response, """{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}""");
        }));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        await using var chunks = platform.CreateChatCompletionStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await chunks.MoveNextAsync());
        var error = await Assert.ThrowsAsync<UpstreamException>(async () => await chunks.MoveNextAsync());

        // server_error is what OpenAI answers its 500s with, so the event stands for a 500.
        Assert.Equal(500, error.StatusCode);
        Assert.Equal("server_error", error.Type);
        Assert.Equal("The server had an error while processing your request. Sorry about that!", error.Message);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task An_error_status_surfaces_on_the_first_move()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", () => Results.Text(OfficialPayloads.RateLimitError, "application/json", statusCode: 429)));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => DrainAsync(platform.CreateChatCompletionStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None)));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal("rate_limit_exceeded", error.Code);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task A_connection_broken_mid_stream_is_unreachable()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteAsync(context.Response, OfficialPayloads.Chunk1);
            await received.Task.WaitAsync(context.RequestAborted);
            context.Abort();
        }));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        await using var chunks = platform.CreateChatCompletionStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await chunks.MoveNextAsync());
        received.SetResult();
        var error = await Assert.ThrowsAsync<UpstreamException>(async () => await chunks.MoveNextAsync());

        Assert.Equal(502, error.StatusCode);
        Assert.Equal("upstream_unreachable", error.Code);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task Cancellation_mid_stream_aborts_the_upstream_request()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteAsync(context.Response, OfficialPayloads.Chunk1);
            await WaitForAbortAsync(context, aborted);
        }));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);
        using var cancellation = new CancellationTokenSource();

        await using var chunks = platform.CreateChatCompletionStreamAsync(StreamRequest(), TestPlatforms.Context(), cancellation.Token).GetAsyncEnumerator(cancellation.Token);
        Assert.True(await chunks.MoveNextAsync());
        var next = chunks.MoveNextAsync().AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        await aborted.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Disposing_the_stream_early_aborts_the_upstream_request()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteAsync(context.Response, OfficialPayloads.Chunk1);
            await WaitForAbortAsync(context, aborted);
        }));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var chunks = platform.CreateChatCompletionStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await chunks.MoveNextAsync());
        await chunks.DisposeAsync();

        // Well within the two seconds SocketsHttpHandler would spend draining the body of a plain dispose.
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(1));
    }

    private static async Task WaitForAbortAsync(HttpContext context, TaskCompletionSource aborted)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            aborted.SetResult();
        }
    }

    private static CreateChatCompletionRequest StreamRequest()
    {
        var request = ChatCompletionTests.ClientRequest();
        request.Stream = true;
        request.StreamOptions = new ChatCompletionStreamOptions { IncludeUsage = true };
        return request;
    }

    private static async Task<List<CreateChatCompletionStreamResponse>> DrainAsync(IAsyncEnumerable<CreateChatCompletionStreamResponse> stream)
    {
        var chunks = new List<CreateChatCompletionStreamResponse>();
        await foreach (var chunk in stream)
        {
            chunks.Add(chunk);
        }
        return chunks;
    }
}
