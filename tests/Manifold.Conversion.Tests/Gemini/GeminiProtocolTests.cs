using System.Runtime.CompilerServices;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Conversion.Pipeline;
using static Manifold.Conversion.Tests.Gemini.GeminiFixtures;

namespace Manifold.Conversion.Tests.Gemini;

/// <summary>What the host uses: Prepare, pass-through filters, the bridge (Gemini clients) and the target (Gemini platforms).</summary>
public sealed class GeminiProtocolTests
{
    private static readonly AdapterContext Context = new("test", null, "req-1");

    [Fact]
    public void Registers_as_inbound_and_platform_protocol()
    {
        Assert.Contains(GeminiCodec.Instance, ProtocolCatalog.Codecs);
        Assert.Contains(GeminiProtocol.Instance, ProtocolCatalog.Inbound);
        Assert.Contains(GeminiProtocol.Instance, ProtocolCatalog.Platform);
        Assert.Equal(typeof(IGenerateContentAdapter), GeminiProtocol.Instance.AdapterType);
    }

    [Theory]
    [InlineData("gemini-2.5-flash-thinking", null, 8192L, true)]
    [InlineData("gemini-2.5-flash-nothinking", null, 0L, null)]
    [InlineData("gemini-2.5-flash-thinking-2048", null, 2048L, true)]
    [InlineData("gemini-2.5-flash-low", null, 2048L, false)]
    [InlineData("gemini-3-pro-preview-high", "HIGH", null, false)]
    public void A_model_suffix_sets_the_thinking_config(string model, string? level, long? budget, bool? includeThoughts)
    {
        var request = Parse<GenerateContentRequest>("""
            {"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"temperature":0.5,"thinkingConfig":{"thinkingBudget":100,"includeThoughts":false}}}
            """);

        GeminiProtocol.Instance.Prepare(request, ModelSuffix.Parse(model), OutputOptions.Default);

        var thinking = request.GenerationConfig!.ThinkingConfig!;
        Assert.Equal(level, thinking.ThinkingLevel);
        Assert.Equal(budget, thinking.ThinkingBudget);
        Assert.Equal(includeThoughts, thinking.IncludeThoughts);
        Assert.Equal(0.5, request.GenerationConfig.Temperature);
    }

    [Fact]
    public void Prepare_takes_the_extras_out_of_the_body()
    {
        var request = Parse<GenerateContentRequest>("""{"contents":[{"parts":[{"text":"hi"}]}],"close_reasoning_content":true}""");

        var output = GeminiProtocol.Instance.Prepare(request, null, new OutputOptions(ReasoningAsContent: true));

        Assert.Equal(new OutputOptions(SuppressReasoning: true, ReasoningAsContent: true), output);
        Assert.False(request.AdditionalProperties?.ContainsKey("close_reasoning_content") ?? false);
        Assert.Null(request.GenerationConfig);
    }

    [Fact]
    public void Pass_through_filters_strip_thoughts_and_signatures_only_when_asked()
    {
        var response = Response("reasoning");
        Assert.Same(response, GeminiProtocol.Instance.FilterResponse(response, OutputOptions.Default));
        Assert.Equal(2, response.Candidates![0].Content!.Parts!.Count);

        var hidden = (GenerateContentResponse)GeminiProtocol.Instance.FilterResponse(response, new OutputOptions(SuppressReasoning: true));
        var part = Assert.Single(hidden.Candidates![0].Content!.Parts!);
        Assert.Equal(("9.8 is larger than 9.11.", (string?)null), (part.Text, part.ThoughtSignature));

        var suppress = new OutputOptions(SuppressReasoning: true);
        var chunks = Stream("reasoning");
        var thoughtOnly = Parse<GenerateContentResponse>("""{"candidates":[{"content":{"role":"model","parts":[{"text":"hmm","thought":true}]}}]}""");
        Assert.Null(GeminiProtocol.Instance.FilterChunk(thoughtOnly, suppress));
        // Gemini repeats usage on every chunk, so a chunk left without parts still carries something.
        Assert.NotNull(GeminiProtocol.Instance.FilterChunk(chunks[0], suppress));
        Assert.Empty(chunks[0].Candidates![0].Content!.Parts!);
        Assert.Null(((GenerateContentResponse)GeminiProtocol.Instance.FilterChunk(chunks[2], suppress)!).Candidates![0].Content!.Parts![0].ThoughtSignature);
    }

    [Fact]
    public async Task The_bridge_serves_gemini_clients_through_the_hub()
    {
        var target = new RecordingTarget();
        var bridge = (IGenerateContentAdapter)GeminiProtocol.Instance.CreateBridge(target, null, new OutputOptions(SuppressReasoning: true));

        var response = await bridge.GenerateContentAsync("claude-sonnet-4-5", Request("reasoning"), Context, CancellationToken.None);

        Assert.Equal("claude-sonnet-4-5", target.Request!.Model);
        Assert.False(target.Request.Stream);
        Assert.True(target.Request.Output.SuppressReasoning);
        Assert.Equal(16384, target.Request.Reasoning!.BudgetTokens);
        var part = Assert.Single(response.Candidates![0].Content!.Parts!);
        Assert.Equal("Hello from the hub", part.Text);

        var chunks = new List<GenerateContentResponse>();
        await foreach (var chunk in bridge.StreamGenerateContentAsync("claude-sonnet-4-5", Request("text"), Context, CancellationToken.None))
        {
            chunks.Add(chunk);
        }
        Assert.True(target.Request.Stream);
        Assert.Equal(["Hello", ""], chunks.Select(static c => c.Candidates![0].Content!.Parts![0].Text));
        Assert.Equal("STOP", chunks[^1].Candidates![0].FinishReason);
    }

    [Fact]
    public void The_bridge_rejects_a_request_before_calling_the_platform()
    {
        var target = new RecordingTarget();
        var bridge = (IGenerateContentAdapter)GeminiProtocol.Instance.CreateBridge(target, null, OutputOptions.Default);
        var request = Parse<GenerateContentRequest>("""{"contents":[{"parts":[{"text":"hi"}]}],"tools":[{"googleSearch":{}}]}""");

        Assert.Throws<ConversionException>(() => bridge.StreamGenerateContentAsync("gpt-4o", request, Context, CancellationToken.None));
        Assert.Null(target.Request);
    }

    [Fact]
    public async Task The_target_calls_a_gemini_platform_with_the_model_in_the_url()
    {
        var platform = new FakeGeminiPlatform();
        var target = GeminiProtocol.Instance.CreateTarget(platform);
        var hub = NewHub("gemini-2.5-flash", User(new TextPart("Explain how AI works in a few words")));

        var answer = await target.SendAsync(hub, Context, CancellationToken.None);

        Assert.Equal("gemini-2.5-flash", platform.Model);
        Assert.Equal("Explain how AI works in a few words", platform.Request!.Contents[0].Parts![0].Text);
        Assert.Equal("AI learns patterns from data to make predictions or decisions.", Assert.IsType<TextPart>(Assert.Single(answer.Content)).Text);
        Assert.True(answer.Created > 0);

        var events = new List<HubStreamEvent>();
        await foreach (var hubEvent in target.StreamAsync(hub, Context, CancellationToken.None))
        {
            events.Add(hubEvent);
        }
        Assert.True(Assert.IsType<StreamStarted>(events[0]).Created > 0);
        Assert.Equal("AI learns patterns from data to make predictions or decisions.", string.Concat(events.OfType<TextDelta>().Select(static d => d.Text)));
        Assert.Equal(new HubUsage(8, 12), Assert.IsType<StreamFinished>(events[^1]).Usage);
    }

    /// <summary>A platform of another protocol, answering in hub terms.</summary>
    private sealed class RecordingTarget : IHubTarget
    {
        public HubRequest? Request { get; private set; }

        public string Protocol => "test";

        public Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            Request = request;
            var response = new HubResponse { Id = "msg_1", Model = request.Model, Usage = new HubUsage(5, 7) { ReasoningTokens = 3 } };
            response.Content.AddRange([new ReasoningPart("Thinking", "c2ln"), new TextPart("Hello from the hub")]);
            return Task.FromResult(response);
        }

        public async IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Request = request;
            await Task.Yield();
            yield return new StreamStarted("msg_2", request.Model, 1);
            yield return new TextDelta("Hello");
            yield return new StreamFinished(HubFinishReason.Stop, new HubUsage(5, 1));
        }
    }

    /// <summary>A Gemini platform answering with the documented payloads.</summary>
    private sealed class FakeGeminiPlatform : IGenerateContentAdapter
    {
        public string? Model { get; private set; }

        public GenerateContentRequest? Request { get; private set; }

        public Task<GenerateContentResponse> GenerateContentAsync(string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            (Model, Request) = (model, request);
            return Task.FromResult(Response("text"));
        }

        public async IAsyncEnumerable<GenerateContentResponse> StreamGenerateContentAsync(
            string model, GenerateContentRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            (Model, Request) = (model, request);
            foreach (var chunk in Stream("text"))
            {
                await Task.Yield();
                yield return chunk;
            }
        }

        public CountTokensRequest? Counted { get; private set; }

        public Task<CountTokensResponse> CountGeminiTokensAsync(string model, CountTokensRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            (Model, Counted) = (model, request);
            return Task.FromResult(new CountTokensResponse { TotalTokens = 31 });
        }
    }
}
