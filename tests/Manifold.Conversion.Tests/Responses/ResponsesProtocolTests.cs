using System.Runtime.CompilerServices;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Conversion.Pipeline;
using Manifold.Conversion.Responses;
using static Manifold.Conversion.Tests.Responses.ResponsesFixtures;

namespace Manifold.Conversion.Tests.Responses;

public sealed class ResponsesProtocolTests
{
    private static readonly AdapterContext Context = new("openai", null, "req-1");

    [Fact]
    public void Is_registered_as_inbound_platform_and_codec()
    {
        Assert.Contains(ResponsesProtocol.Instance, ProtocolCatalog.Inbound);
        Assert.Contains(ResponsesProtocol.Instance, ProtocolCatalog.Platform);
        Assert.Contains(ResponsesCodec.Instance, ProtocolCatalog.Codecs);
        Assert.Equal(typeof(IResponsesAdapter), ResponsesProtocol.Instance.AdapterType);
        Assert.Equal("OpenAI Responses", ResponsesProtocol.Instance.DisplayName);
    }

    [Theory]
    [InlineData("o3-high", "o3", "high", null)]
    [InlineData("gpt-5-nothinking", "gpt-5", "none", null)]
    [InlineData("gpt-5-thinking", "gpt-5", "medium", "auto")]
    [InlineData("gpt-5-thinking-12000", "gpt-5", "high", "auto")]
    public void A_model_suffix_sets_the_reasoning_fields(string model, string stripped, string effort, string? summary)
    {
        var request = new CreateResponseRequest { Model = model, Reasoning = new ResponseReasoningConfig { Effort = "low" } };

        ResponsesProtocol.Instance.Prepare(request, ModelSuffix.Parse(model), OutputOptions.Default);

        Assert.Equal((stripped, effort, summary), (request.Model, request.Reasoning.Effort, request.Reasoning.Summary));
    }

    [Fact]
    public void The_extras_are_taken_out_of_the_body_over_the_querys()
    {
        var request = Parse<CreateResponseRequest>("""{"model":"gpt-4.1","input":"hi","close_reasoning_content":true,"x_other":1}""");

        var output = ResponsesProtocol.Instance.Prepare(request, null, new OutputOptions(ReasoningAsContent: true));

        Assert.Equal(new OutputOptions(SuppressReasoning: true, ReasoningAsContent: true), output);
        Assert.Equal(["x_other"], request.AdditionalProperties!.Keys);
        Assert.Equal("gpt-4.1", request.Model);
        Assert.Null(request.Reasoning);
    }

    [Fact]
    public void Passed_through_answers_lose_their_reasoning_items_on_request()
    {
        var hidden = (Response)ResponsesProtocol.Instance.FilterResponse(Response("reasoning"), new OutputOptions(SuppressReasoning: true));
        var shown = (Response)ResponsesProtocol.Instance.FilterResponse(Response("reasoning"), OutputOptions.Default);

        Assert.Equal("message", Assert.Single(hidden.Output).Type);
        Assert.Equal(2, shown.Output.Count);
    }

    [Fact]
    public void Passed_through_streams_keep_empty_reasoning_items_so_later_indexes_hold()
    {
        var suppress = new OutputOptions(SuppressReasoning: true);

        var events = Stream("reasoning").Select(e => (ResponseStreamEvent?)ResponsesProtocol.Instance.FilterChunk(e, suppress)).OfType<ResponseStreamEvent>().ToList();

        Assert.DoesNotContain(events, static e => e.Type.StartsWith("response.reasoning", StringComparison.Ordinal));
        var reasoning = events.Where(static e => e.Item?.Type == "reasoning").Select(static e => e.Item!).ToList();
        Assert.Equal(2, reasoning.Count);
        Assert.All(reasoning, static item => Assert.True(item.Summary!.Count == 0 && item.EncryptedContent is null));
        var final = events[^1].Response!.Output;
        Assert.True(final[0].Summary!.Count == 0 && final[0].EncryptedContent is null);
        Assert.Equal(1, events.First(static e => e.Type == "response.output_text.delta").OutputIndex);
        var untouched = Stream("reasoning")[4];
        Assert.Same(untouched, ResponsesProtocol.Instance.FilterChunk(untouched, OutputOptions.Default));
    }

    [Fact]
    public async Task The_bridge_serves_a_responses_client_from_another_protocols_platform()
    {
        var target = new FakeTarget();
        var adapter = (IResponsesAdapter)ResponsesProtocol.Instance.CreateBridge(target, null, new OutputOptions(SuppressReasoning: true));

        var response = await adapter.CreateResponseAsync(Request("reasoning"), Context, CancellationToken.None);

        Assert.False(target.Received!.Stream);
        Assert.True(target.Received.Output.SuppressReasoning);
        Assert.Equal("high", target.Received.Reasoning!.Effort);
        Assert.Equal(("resp_msg_fake", "message"), (response.Id, Assert.Single(response.Output).Type));
    }

    [Fact]
    public async Task The_bridge_streams_and_fails_before_the_stream_for_what_it_cannot_convert()
    {
        var target = new FakeTarget();
        var adapter = (IResponsesAdapter)ResponsesProtocol.Instance.CreateBridge(target, null, OutputOptions.Default);

        var events = new List<ResponseStreamEvent>();
        await foreach (var e in adapter.CreateResponseStreamAsync(Request("text"), Context, CancellationToken.None))
        {
            events.Add(e);
        }

        ResponsesStreamRules.AssertValid(events);
        Assert.True(target.Received!.Stream);
        var unsupported = Request("text");
        unsupported.PreviousResponseId = "resp_1";
        var error = Assert.Throws<ConversionException>(() => adapter.CreateResponseStreamAsync(unsupported, Context, CancellationToken.None));
        Assert.Equal("previous_response_id", error.Param);
    }

    [Fact]
    public async Task The_target_sends_an_openai_platform_a_responses_request_and_reads_its_answers()
    {
        var platform = new FakeResponsesPlatform();
        var target = ResponsesProtocol.Instance.CreateTarget(platform);
        var hub = NewHub(User(new TextPart("Which is larger, 9.11 or 9.8?")));

        var answer = await target.SendAsync(hub, Context, CancellationToken.None);
        var events = new List<HubStreamEvent>();
        await foreach (var e in target.StreamAsync(hub, Context, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal("OpenAI Responses", target.Protocol);
        Assert.Equal([null, true], platform.Received.Select(static r => r.Stream));
        Assert.Equal("rs_68b21c4f5a6b8190a7b8c9d0e1f2a3b40c1d2e3f4a5b6c7d", Assert.IsType<ReasoningPart>(answer.Content[0]).Id);
        Assert.IsType<StreamStarted>(events[0]);
        Assert.Equal(new StreamFinished(HubFinishReason.Stop, new HubUsage(18, 342) { ReasoningTokens = 320 }), events[^1]);
        var top = NewHub(User(new TextPart("hi")));
        top.TopK = 5;
        // Encoding happens when the stream is asked for, before anything is sent.
        Assert.Equal("top_k", Assert.Throws<ConversionException>(() => { _ = target.StreamAsync(top, Context, CancellationToken.None); }).Param);
    }

    /// <summary>A platform of another protocol, seen through the hub: answers with reasoning and text.</summary>
    private sealed class FakeTarget : IHubTarget
    {
        public HubRequest? Received { get; private set; }

        public string Protocol => "Fake";

        public Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            Received = request;
            var answer = new HubResponse { Id = "msg_fake", Model = request.Model, FinishReason = HubFinishReason.Stop };
            answer.Content.Add(new ReasoningPart("hidden", "sig"));
            answer.Content.Add(new TextPart("9.8"));
            return Task.FromResult(answer);
        }

        public async IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Received = request;
            await Task.Yield();
            yield return new StreamStarted("msg_fake", request.Model, 1);
            yield return new TextDelta("9.8");
            yield return new StreamFinished(HubFinishReason.Stop, new HubUsage(1, 1));
        }
    }

    /// <summary>An OpenAI platform answering with the reasoning fixtures.</summary>
    private sealed class FakeResponsesPlatform : IResponsesAdapter
    {
        public List<CreateResponseRequest> Received { get; } = [];

        public Task<Response> CreateResponseAsync(CreateResponseRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            Received.Add(request);
            return Task.FromResult(Response("reasoning"));
        }

        public async IAsyncEnumerable<ResponseStreamEvent> CreateResponseStreamAsync(CreateResponseRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Received.Add(request);
            foreach (var e in Stream("reasoning"))
            {
                await Task.Yield();
                yield return e;
            }
        }

        public Task<InputTokensResponse> CountInputTokensAsync(InputTokensRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new InputTokensResponse { InputTokens = 17 });
    }
}
