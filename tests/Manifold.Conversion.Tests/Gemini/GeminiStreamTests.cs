using Manifold.Contracts.Gemini;
using Manifold.Conversion.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using static Manifold.Conversion.Tests.Gemini.GeminiFixtures;

namespace Manifold.Conversion.Tests.Gemini;

/// <summary>Streams: Gemini chunks into hub events (the grammar) and hub events into Gemini chunks.</summary>
public sealed class GeminiStreamTests
{
    private static List<HubStreamEvent> DecodeStream(string scenario) => HubStreams.Decode(Stream(scenario), new GeminiStreamDecoder(NewHub(), created: 1700000000));

    private static List<GenerateContentResponse> EncodeStream(IEnumerable<HubStreamEvent> events, HubRequest? request = null) =>
        HubStreams.Encode(events, new GeminiStreamEncoder(request ?? NewHub()));

    [Theory]
    [InlineData("text")]
    [InlineData("tools")]
    [InlineData("parallel-tools")]
    [InlineData("reasoning")]
    [InlineData("usage-cached")]
    [InlineData("stop-length")]
    public void Every_stream_follows_the_hub_grammar(string scenario)
    {
        var events = DecodeStream(scenario);

        var started = Assert.IsType<StreamStarted>(events[0]);
        Assert.Equal(("gemini-2.5-flash", 1700000000L), (started.Model, started.Created));
        Assert.IsType<StreamFinished>(events[^1]);
        Assert.Single(events.OfType<StreamStarted>());
        Assert.Single(events.OfType<StreamFinished>());
    }

    [Fact]
    public void Text_chunks_are_text_deltas_and_the_last_usage_counts()
    {
        var events = DecodeStream("usage-cached");

        Assert.Equal("Add the new key as another account, then remove the old one (Handbook §4.2).",
            string.Concat(events.OfType<TextDelta>().Select(static d => d.Text)));
        var finished = (StreamFinished)events[^1];
        Assert.Equal(HubFinishReason.Stop, finished.Reason);
        Assert.Equal(new HubUsage(2114, 21) { CachedInputTokens = 2048 }, finished.Usage);
        Assert.Equal(HubFinishReason.Length, ((StreamFinished)DecodeStream("stop-length")[^1]).Reason);
    }

    [Fact]
    public void Thoughts_signatures_and_calls_come_in_order()
    {
        var reasoning = DecodeStream("reasoning");
        Assert.Collection(reasoning.Skip(1),
            e => Assert.StartsWith("**Comparing the decimals**", Assert.IsType<ReasoningDelta>(e).Text),
            e => Assert.IsType<ReasoningDelta>(e),
            e => Assert.StartsWith("Ci0BVKhc7m", Assert.IsType<ReasoningSignature>(e).Signature),
            e => Assert.Equal("9.8 is larger", Assert.IsType<TextDelta>(e).Text),
            e => Assert.Equal(" than 9.11.", Assert.IsType<TextDelta>(e).Text),
            e => Assert.Equal(new HubUsage(14, 93) { ReasoningTokens = 84 }, Assert.IsType<StreamFinished>(e).Usage));

        var tools = DecodeStream("parallel-tools");
        Assert.Collection(tools.Skip(1),
            e => Assert.IsType<ReasoningSignature>(e),
            e => Assert.Equal(new ToolCallStarted(0, "call_MXeGaO2_NMqEnvgPxuXtoAU_0", "get_weather"), e),
            e => Assert.Equal(new ToolCallArgumentsDelta(0, """{"location":"Paris, France"}"""), e),
            e => Assert.Equal(new ToolCallStarted(1, "call_MXeGaO2_NMqEnvgPxuXtoAU_1", "get_weather"), e),
            e => Assert.Equal(new ToolCallArgumentsDelta(1, """{"location":"Tokyo, Japan"}"""), e),
            e => Assert.Equal(HubFinishReason.ToolCalls, Assert.IsType<StreamFinished>(e).Reason));
    }

    [Fact]
    public void A_signature_after_the_finish_chunk_is_still_read()
    {
        var chunks = Parse<List<GenerateContentResponse>>("""
            [{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"finishReason":"STOP","index":0}],"responseId":"r1"},
             {"candidates":[{"content":{"role":"model","parts":[{"text":"","thoughtSignature":"ZW5k"}]},"index":0}],"responseId":"r1",
              "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4}}]
            """);

        var events = HubStreams.Decode(chunks, new GeminiStreamDecoder(NewHub()));

        Assert.Equal(new ReasoningSignature("ZW5k", SignatureOrigin.Gemini), events[^2]);
        Assert.Equal(new StreamFinished(HubFinishReason.Stop, new HubUsage(3, 1)), events[^1]);
    }

    [Fact]
    public void An_empty_stream_still_starts_and_finishes()
    {
        var events = HubStreams.Decode([], new GeminiStreamDecoder(NewHub("gemini-2.5-pro")));

        Assert.Equal("gemini-2.5-pro", Assert.IsType<StreamStarted>(events[0]).Model);
        Assert.Equal(HubFinishReason.Stop, Assert.IsType<StreamFinished>(events[1]).Reason);
    }

    [Fact]
    public void A_blocked_prompt_finishes_as_content_filter()
    {
        var chunks = Parse<List<GenerateContentResponse>>("""[{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"responseId":"b"}]""");

        Assert.Equal(HubFinishReason.ContentFilter, ((StreamFinished)HubStreams.Decode(chunks, new GeminiStreamDecoder(NewHub()))[^1]).Reason);
    }

    [Fact]
    public void Encodes_text_as_it_comes_and_closes_with_reason_and_usage()
    {
        var chunks = EncodeStream([
            new StreamStarted("chatcmpl-1", "gpt-4o", 1),
            new TextDelta("Hello"),
            new TextDelta(" world"),
            new UsageReported(new HubUsage(10, 2)),
            new StreamFinished(HubFinishReason.Stop),
        ]);

        Assert.Equal(3, chunks.Count);
        Assert.Equal(["Hello", " world"], chunks.Take(2).Select(static c => c.Candidates![0].Content!.Parts![0].Text));
        Assert.All(chunks, static c => Assert.Equal(("chatcmpl-1", "gpt-4o"), (c.ResponseId, c.ModelVersion)));
        Assert.All(chunks.Take(2), static c => Assert.Null(c.Candidates![0].FinishReason));
        var last = chunks[^1];
        Assert.Equal("STOP", last.Candidates![0].FinishReason);
        Assert.Equal("", Assert.Single(last.Candidates[0].Content!.Parts!).Text);
        Assert.Equal((10L, 2L, 12L), (last.UsageMetadata!.PromptTokenCount!.Value, last.UsageMetadata.CandidatesTokenCount!.Value, last.UsageMetadata.TotalTokenCount!.Value));
    }

    [Fact]
    public void Sends_function_calls_whole_even_when_their_arguments_interleave()
    {
        var chunks = EncodeStream([
            new StreamStarted("chatcmpl-2", "gpt-4o", 1),
            new ReasoningSignature("c2ln"),
            new ToolCallStarted(0, "call_a", "get_weather"),
            new ToolCallArgumentsDelta(0, """{"loca"""),
            new ToolCallStarted(1, "call_b", "get_weather"),
            new ToolCallArgumentsDelta(1, """{"location":"Tokyo"}"""),
            new ToolCallArgumentsDelta(0, """tion":"Paris"}"""),
            new StreamFinished(HubFinishReason.ToolCalls, new HubUsage(20, 30)),
        ]);

        var last = Assert.Single(chunks);
        var parts = last.Candidates![0].Content!.Parts!;
        Assert.Equal(2, parts.Count);
        Assert.Equal(("call_a", "Paris", "c2ln"), (parts[0].FunctionCall!.Id, parts[0].FunctionCall!.Args!.Value.GetProperty("location").GetString(), parts[0].ThoughtSignature));
        Assert.Equal(("call_b", "Tokyo", (string?)null), (parts[1].FunctionCall!.Id, parts[1].FunctionCall!.Args!.Value.GetProperty("location").GetString(), parts[1].ThoughtSignature));
        Assert.Equal("STOP", last.Candidates[0].FinishReason);
    }

    [Fact]
    public void Arguments_cut_off_by_the_limit_do_not_break_the_stream()
    {
        var chunks = EncodeStream([
            new StreamStarted("c", "m", 1),
            new ToolCallStarted(0, "call_a", "write"),
            new ToolCallArgumentsDelta(0, """{"text":"Once upon"""),
            new StreamFinished(HubFinishReason.Length),
        ]);

        var part = Assert.Single(chunks[^1].Candidates![0].Content!.Parts!);
        Assert.Equal("{}", part.FunctionCall!.Args!.Value.GetRawText());
        Assert.Equal("MAX_TOKENS", chunks[^1].Candidates![0].FinishReason);
    }

    [Fact]
    public void Reasoning_streams_as_thoughts_with_signatures_on_the_next_part()
    {
        var events = new HubStreamEvent[]
        {
            new StreamStarted("msg_1", "claude-sonnet-4-5", 1),
            new ReasoningDelta("Think"),
            new ReasoningSignature("c2lnLTE="),
            new TextDelta("Answer"),
            new RedactedReasoning("opaque"),
            new ReasoningSignature("c2lnLTI="),
            new StreamFinished(HubFinishReason.Stop),
        };

        var shown = EncodeStream(events);
        Assert.Equal(3, shown.Count);
        Assert.Equal(("Think", true), (shown[0].Candidates![0].Content!.Parts![0].Text, shown[0].Candidates![0].Content!.Parts![0].Thought));
        Assert.Equal(("Answer", "c2lnLTE="), (shown[1].Candidates![0].Content!.Parts![0].Text, shown[1].Candidates![0].Content!.Parts![0].ThoughtSignature));
        Assert.Equal(("", "c2lnLTI="), (shown[2].Candidates![0].Content!.Parts![0].Text, shown[2].Candidates![0].Content!.Parts![0].ThoughtSignature));

        var request = NewHub();
        request.Output = new OutputOptions(SuppressReasoning: true);
        var hidden = EncodeStream(events, request);
        Assert.Equal(2, hidden.Count);
        Assert.All(hidden.SelectMany(static c => c.Candidates![0].Content!.Parts!), static p => Assert.True(p.Thought is null && p.ThoughtSignature is null));
    }

    [Fact]
    public void Finish_closes_a_stream_the_platform_left_open()
    {
        var chunks = EncodeStream([new StreamStarted("c", "m", 1), new TextDelta("partial")]);

        Assert.Equal("STOP", chunks[^1].Candidates![0].FinishReason);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("tools")]
    [InlineData("parallel-tools")]
    [InlineData("reasoning")]
    [InlineData("usage-cached")]
    [InlineData("stop-length")]
    public void Gemini_streams_survive_a_trip_through_the_hub(string scenario)
    {
        var original = Stream(scenario);
        var again = EncodeStream(DecodeStream(scenario));

        static string Said(IEnumerable<GenerateContentResponse> chunks, bool thought) => string.Concat(chunks
            .SelectMany(static c => c.Candidates![0].Content!.Parts!)
            .Where(p => (p.Thought == true) == thought)
            .Select(static p => p.Text));
        static IEnumerable<string> Signatures(IEnumerable<GenerateContentResponse> chunks) => chunks
            .SelectMany(static c => c.Candidates![0].Content!.Parts!).Select(static p => p.ThoughtSignature).OfType<string>();
        static IEnumerable<string> Calls(IEnumerable<GenerateContentResponse> chunks) => chunks
            .SelectMany(static c => c.Candidates![0].Content!.Parts!).Select(static p => Compact(p.FunctionCall?.Args)).OfType<string>();

        Assert.Equal(Said(original, thought: false), Said(again, thought: false));
        Assert.Equal(Said(original, thought: true), Said(again, thought: true));
        // Signatures come back in the form that carries their origin, and read back as Gemini's own.
        Assert.Equal(Signatures(original).Select(static s => (s, (string?)SignatureOrigin.Gemini)), Signatures(again).Select(GeminiSignatures.FromClient));
        Assert.Equal(Calls(original), Calls(again));
        Assert.Equal(original[^1].Candidates![0].FinishReason, again[^1].Candidates![0].FinishReason);
        var (u, v) = (original[^1].UsageMetadata!, again[^1].UsageMetadata!);
        Assert.Equal((u.PromptTokenCount, u.CachedContentTokenCount, u.CandidatesTokenCount, u.ThoughtsTokenCount, u.TotalTokenCount),
            (v.PromptTokenCount, v.CachedContentTokenCount, v.CandidatesTokenCount, v.ThoughtsTokenCount, v.TotalTokenCount));
    }
}
