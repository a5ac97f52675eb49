using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Gemini;

public sealed class StreamingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static GenerateContentRequest Request() =>
        JsonSerializer.Deserialize<GenerateContentRequest>("""{"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}]}""", ManifoldJson.Options)!;

    [Fact]
    public async Task Asks_for_sse_and_yields_each_chunk_as_soon_as_it_arrives()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1beta/models/{model}", async (HttpContext context) =>
        {
            GeminiFakes.StartSse(context.Response);
            await GeminiFakes.WriteEventAsync(context.Response, GeminiPayloads.ThinkingAndToolStream[0]);
            // Nothing more until the test has seen the first chunk: a plugin that buffered the stream would never get it.
            await release.Task.WaitAsync(context.RequestAborted);
            await GeminiFakes.WriteEventAsync(context.Response, GeminiPayloads.ThinkingAndToolStream[1]);
        }));
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(upstream.Root);

        await using var chunks = platform.StreamGenerateContentAsync("gemini-2.5-flash", Request(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();

        Assert.True(await chunks.MoveNextAsync().AsTask().WaitAsync(Patience));
        var thought = chunks.Current.Candidates![0].Content!.Parts![0];
        Assert.True(thought.Thought);
        Assert.StartsWith("**Checking the weather**", thought.Text);
        Assert.Equal(51, chunks.Current.UsageMetadata!.ThoughtsTokenCount);
        release.SetResult();
        Assert.True(await chunks.MoveNextAsync().AsTask().WaitAsync(Patience));
        var call = chunks.Current.Candidates![0].Content!.Parts![0];
        Assert.Equal("get_weather", call.FunctionCall!.Name);
        Assert.Equal("Paris, France", call.FunctionCall.Args!.Value.GetProperty("location").GetString());
        Assert.Equal("CiIBVKhc7oDPDKnzBhJL+Dqbd5WG", call.ThoughtSignature);
        Assert.Equal("STOP", chunks.Current.Candidates[0].FinishReason);
        Assert.Equal(147, chunks.Current.UsageMetadata!.TotalTokenCount);
        Assert.False(await chunks.MoveNextAsync().AsTask().WaitAsync(Patience));

        var sent = upstream.SingleRequest;
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", sent.RawTarget);
        Assert.Equal("text/event-stream", sent.Header("Accept"));
        Assert.Equal(TestPlatforms.Key, sent.Header("x-goog-api-key"));
    }

    [Fact]
    public async Task A_failure_inside_the_stream_becomes_the_upstreams_error()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1beta/models/{model}", async (HttpContext context) =>
        {
            GeminiFakes.StartSse(context.Response);
            await GeminiFakes.WriteEventAsync(context.Response, GeminiPayloads.ThinkingAndToolStream[0]);
            await GeminiFakes.WriteEventAsync(context.Response, GeminiPayloads.Overloaded);
        }));
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(upstream.Root);

        var seen = 0;
        var error = await Assert.ThrowsAsync<UpstreamException>(async () =>
        {
            await foreach (var _ in platform.StreamGenerateContentAsync("gemini-2.5-flash", Request(), TestPlatforms.Context(), CancellationToken.None))
            {
                seen++;
            }
        });

        Assert.Equal(1, seen);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal("UNAVAILABLE", error.Code);
        Assert.Equal("The model is overloaded. Please try again later.", error.Message);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task An_error_before_the_stream_starts_is_thrown_on_the_first_read()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1beta/models/{model}", (HttpContext context) =>
            GeminiFakes.ErrorAsync(context.Response, 429, GeminiPayloads.QuotaExceeded)));
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(upstream.Root);

        var error = await Assert.ThrowsAsync<UpstreamException>(async () =>
        {
            await foreach (var _ in platform.StreamGenerateContentAsync("gemini-2.5-flash", Request(), TestPlatforms.Context(), CancellationToken.None))
            {
            }
        });

        Assert.Equal((429, "RESOURCE_EXHAUSTED", true), (error.StatusCode, error.Code, error.Retryable));
    }
}
