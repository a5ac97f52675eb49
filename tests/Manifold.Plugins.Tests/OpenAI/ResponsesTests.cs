using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Plugins.OpenAI;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.OpenAI;

/// <summary>The openai kind's Responses upstream: POST {base}/responses, answers and named-event streams.</summary>
public sealed class ResponsesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // What a client might send: known fields, plus fields Manifold does not model at every level.
    private const string ClientBody = """
        {
          "model": "gpt-4.1",
          "instructions": "Be brief.",
          "input": [
            { "role": "user", "content": [ { "type": "input_text", "text": "Hi", "x_part_flag": true } ] }
          ],
          "tools": [ { "type": "web_search", "search_context_size": "low" } ],
          "reasoning": { "effort": "low", "summary": "auto" },
          "x_custom": { "trace": "abc" }
        }
        """;

    [Fact]
    public void Only_the_openai_kind_speaks_responses()
    {
        // DeepSeek and other compatible services have no /responses: their Responses clients go through conversion.
        var openai = TestPlatforms.OpenAI(new Uri("https://api.openai.com/v1"));
        var compatible = new OpenAICompatiblePlugin().CreatePlatform(TestPlatforms.Settings("openai-compatible", new Uri("https://api.deepseek.com/v1")), TestPlatforms.Services());

        Assert.IsAssignableFrom<IResponsesAdapter>(openai);
        Assert.False(compatible is IResponsesAdapter);
    }

    [Fact]
    public async Task Posts_the_client_body_unchanged_to_responses_with_the_bearer_key()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/responses", () => Results.Text(ResponsesPayloads.Response, "application/json")));
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        await platform.CreateResponseAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal(("POST", "/v1/responses"), (sent.Method, sent.RawTarget));
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("application/json", sent.Header("Accept"));
        // Built-in tools and fields Manifold does not model reach OpenAI as the client wrote them.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ClientBody), JsonNode.Parse(sent.Body)), sent.Body);
    }

    [Fact]
    public async Task Maps_the_official_response()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/responses", () => Results.Text(ResponsesPayloads.Response, "application/json")));
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var response = await platform.CreateResponseAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None);

        Assert.Null(response.Validate());
        Assert.Equal(("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", "response", 1741476542L, "completed"), (response.Id, response.Object, response.CreatedAt, response.Status));
        var message = Assert.Single(response.Output);
        Assert.Equal(("message", "assistant"), (message.Type, message.Role));
        Assert.StartsWith("In a peaceful grove", Assert.Single(message.Content!).Text);
        Assert.Equal((36L, 87L, 123L, 0L), (response.Usage!.InputTokens, response.Usage.OutputTokens, response.Usage.TotalTokens, response.Usage.InputTokensDetails.CachedTokens));
        Assert.Equal("auto", response.ToolChoice.StringValue);
    }

    [Fact]
    public async Task An_error_status_becomes_an_upstream_exception_naming_the_field()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/responses", () => Results.Text(ResponsesPayloads.InvalidInputError, "application/json", statusCode: 400)));
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateResponseAsync(ClientRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, "invalid_request_error", "input[0].content", "invalid_type"), (error.StatusCode, error.Type, error.Param, error.Code));
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task Streams_each_named_event_as_it_arrives_and_asks_for_an_event_stream()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/responses", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteEventAsync(context.Response, ResponsesPayloads.TextStream[0].Name, ResponsesPayloads.TextStream[0].Data);
            // Nothing more until the test has seen the first event: a plugin that buffered the stream would never get it.
            await release.Task.WaitAsync(context.RequestAborted);
            foreach (var (name, data) in ResponsesPayloads.TextStream.Skip(1))
            {
                await Sse.WriteEventAsync(context.Response, name, data);
            }
        }));
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        await using var events = platform.CreateResponseStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(("response.created", 0L, "in_progress"), (events.Current.Type, events.Current.SequenceNumber, events.Current.Response!.Status));
        release.SetResult();
        var rest = new List<ResponseStreamEvent>();
        while (await events.MoveNextAsync().AsTask().WaitAsync(Patience))
        {
            rest.Add(events.Current);
        }

        Assert.Equal(ResponsesPayloads.TextStream.Skip(1).Select(static e => e.Name), rest.Select(static e => e.Type));
        Assert.Equal(" there! How can I assist you today?", rest[4].Delta);
        Assert.Equal(48, rest[^1].Response!.Usage!.TotalTokens);
        var sent = upstream.SingleRequest;
        Assert.Equal("/v1/responses", sent.RawTarget);
        Assert.Equal("text/event-stream", sent.Header("Accept"));
        Assert.True(JsonNode.Parse(sent.Body)!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_stream_ends_with_its_closing_event_even_while_the_connection_stays_open()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/responses", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            foreach (var (name, data) in ResponsesPayloads.TextStream)
            {
                await Sse.WriteEventAsync(context.Response, name, data);
            }
            await finished.Task.WaitAsync(context.RequestAborted);
        }));
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var events = await DrainAsync(platform.CreateResponseStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None)).WaitAsync(Patience);
        finished.SetResult();

        Assert.Equal(10, events.Count);
        Assert.Equal("response.completed", events[^1].Type);
    }

    [Fact]
    public async Task An_error_event_mid_stream_becomes_an_upstream_exception()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/responses", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteEventAsync(context.Response, ResponsesPayloads.TextStream[0].Name, ResponsesPayloads.TextStream[0].Data);
            await Sse.WriteEventAsync(context.Response, "error", ResponsesPayloads.ErrorEvent);
        }));
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        await using var events = platform.CreateResponseStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var error = await Assert.ThrowsAsync<UpstreamException>(async () => await events.MoveNextAsync());

        Assert.Equal((429, "rate_limit_exceeded"), (error.StatusCode, error.Code));
        Assert.StartsWith("Rate limit reached for gpt-4.1", error.Message);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task An_error_event_holding_an_error_object_keeps_its_type()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/responses", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteEventAsync(context.Response, "error",
                """{"type":"error","sequence_number":0,"error":{"type":"invalid_request_error","code":"invalid_value","message":"Invalid value: 'x'.","param":"reasoning.effort"}}""");
        }));
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => DrainAsync(platform.CreateResponseStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None)));

        Assert.Equal((400, "invalid_request_error", "reasoning.effort", "invalid_value"), (error.StatusCode, error.Type, error.Param, error.Code));
    }

    [Fact]
    public async Task A_failed_response_mid_stream_becomes_an_upstream_exception()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/responses", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteEventAsync(context.Response, ResponsesPayloads.TextStream[0].Name, ResponsesPayloads.TextStream[0].Data);
            await Sse.WriteEventAsync(context.Response, "response.failed", ResponsesPayloads.FailedEvent);
        }));
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => DrainAsync(platform.CreateResponseStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None)));

        Assert.Equal((500, "server_error", "server_error", "The model failed to generate a response."), (error.StatusCode, error.Type, error.Code, error.Message));
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task A_key_the_upstream_echoes_in_a_stream_error_is_redacted()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/responses", async (HttpContext context) =>
        {
            Sse.Start(context.Response);
            await Sse.WriteEventAsync(context.Response, "error", $$"""{"type":"error","code":"invalid_api_key","message":"Key {{TestPlatforms.Key}} is revoked.","param":null,"sequence_number":0}""");
        }));
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => DrainAsync(platform.CreateResponseStreamAsync(StreamRequest(), TestPlatforms.Context(), CancellationToken.None)));

        Assert.Equal("Key [redacted] is revoked.", error.Message);
    }

    private static CreateResponseRequest ClientRequest() => JsonSerializer.Deserialize<CreateResponseRequest>(ClientBody, ManifoldJson.Options)!;

    private static CreateResponseRequest StreamRequest()
    {
        var request = ClientRequest();
        request.Stream = true;
        return request;
    }

    private static async Task<List<ResponseStreamEvent>> DrainAsync(IAsyncEnumerable<ResponseStreamEvent> stream)
    {
        var events = new List<ResponseStreamEvent>();
        await foreach (var e in stream)
        {
            events.Add(e);
        }
        return events;
    }
}
