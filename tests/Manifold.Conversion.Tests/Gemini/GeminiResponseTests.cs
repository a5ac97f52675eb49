using Manifold.Contracts.Gemini;
using Manifold.Conversion.Gemini;
using Manifold.Conversion.Hub;
using static Manifold.Conversion.Tests.Gemini.GeminiFixtures;

namespace Manifold.Conversion.Tests.Gemini;

/// <summary>Complete answers: a Gemini platform's in hub terms, and hub answers for Gemini clients.</summary>
public sealed class GeminiResponseTests
{
    [Fact]
    public void Reads_text_usage_and_identity()
    {
        var hub = GeminiCodec.Instance.DecodeResponse(Response("text"));

        Assert.Equal("KXaGaN2lB4HfnvgP0Mrl2Ak", hub.Id);
        Assert.Equal("gemini-2.5-flash", hub.Model);
        Assert.Equal("AI learns patterns from data to make predictions or decisions.", Assert.IsType<TextPart>(Assert.Single(hub.Content)).Text);
        Assert.Equal(HubFinishReason.Stop, hub.FinishReason);
        Assert.Equal(new HubUsage(8, 12), hub.Usage);
    }

    [Fact]
    public void Thoughts_count_as_output_and_cached_tokens_stay_inside_input()
    {
        var reasoning = GeminiCodec.Instance.DecodeResponse(Response("reasoning")).Usage!;
        Assert.Equal(14, reasoning.InputTokens);
        Assert.Equal(9 + 84, reasoning.OutputTokens);
        Assert.Equal(84, reasoning.ReasoningTokens);
        Assert.Equal(107, reasoning.TotalTokens);

        var cached = GeminiCodec.Instance.DecodeResponse(Response("usage-cached")).Usage!;
        Assert.Equal(2114, cached.InputTokens);
        Assert.Equal(2048, cached.CachedInputTokens);
        Assert.Equal(66, cached.UncachedInputTokens);

        var withTools = GeminiCodec.Instance.DecodeResponse(Parse<GenerateContentResponse>("""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"ok"}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":10,"toolUsePromptTokenCount":30,"candidatesTokenCount":2,"totalTokenCount":42}}
            """)).Usage!;
        Assert.Equal(40, withTools.InputTokens);
        Assert.Equal(42, withTools.TotalTokens);
    }

    [Fact]
    public void Writes_usage_in_gemini_terms()
    {
        var response = new HubResponse { Id = "resp_1", Model = "claude-sonnet-4-5", Usage = new HubUsage(2114, 93) { CachedInputTokens = 2048, ReasoningTokens = 84 } };
        response.Content.Add(new TextPart("ok"));

        var usage = GeminiCodec.Instance.EncodeResponse(response, NewHub()).UsageMetadata!;

        Assert.Equal(2114, usage.PromptTokenCount);
        Assert.Equal(2048, usage.CachedContentTokenCount);
        Assert.Equal(9, usage.CandidatesTokenCount);
        Assert.Equal(84, usage.ThoughtsTokenCount);
        Assert.Equal(2207, usage.TotalTokenCount);
    }

    [Fact]
    public void Calls_get_ids_unique_to_the_answer_and_finish_as_tool_calls()
    {
        var hub = GeminiCodec.Instance.DecodeResponse(Response("parallel-tools"));

        Assert.Equal(HubFinishReason.ToolCalls, hub.FinishReason);
        var calls = hub.Content.OfType<ToolCallPart>().ToList();
        Assert.Equal(["call_MXeGaO2_NMqEnvgPxuXtoAU_0", "call_MXeGaO2_NMqEnvgPxuXtoAU_1"], calls.Select(static c => c.Id));
        Assert.Equal("""{"location":"Tokyo, Japan"}""", calls[1].Arguments);
        // The signature Gemini put on the first call comes right before it.
        Assert.Equal(new ReasoningPart("", "Ci0BVKhc7mI5Kp3xD1ptKkHFQFsLBNa8ciGdlHKnkXlF0nPCO0E2dFUKSSpWxkQKcQFUqFzufJDoHpSDozTdq5Ha") { Origin = SignatureOrigin.Gemini }, hub.Content[0]);
        Assert.IsType<ToolCallPart>(hub.Content[1]);
    }

    [Theory]
    [InlineData("MAX_TOKENS", HubFinishReason.Length)]
    [InlineData("SAFETY", HubFinishReason.ContentFilter)]
    [InlineData("RECITATION", HubFinishReason.ContentFilter)]
    [InlineData("PROHIBITED_CONTENT", HubFinishReason.ContentFilter)]
    [InlineData("SPII", HubFinishReason.ContentFilter)]
    [InlineData("BLOCKLIST", HubFinishReason.ContentFilter)]
    [InlineData("MALFORMED_FUNCTION_CALL", HubFinishReason.Stop)]
    [InlineData("OTHER", HubFinishReason.Stop)]
    public void Maps_finish_reasons(string reason, HubFinishReason expected)
    {
        var response = Parse<GenerateContentResponse>($$"""{"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"{{reason}}"}],"responseId":"r"}""");

        Assert.Equal(expected, GeminiCodec.Instance.DecodeResponse(response).FinishReason);
    }

    [Fact]
    public void A_blocked_prompt_is_a_content_filter_stop()
    {
        var response = Parse<GenerateContentResponse>("""
            {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH"}]},
             "usageMetadata":{"promptTokenCount":7,"totalTokenCount":7},"modelVersion":"gemini-2.5-flash","responseId":"blocked"}
            """);

        var hub = GeminiCodec.Instance.DecodeResponse(response);

        Assert.Equal(HubFinishReason.ContentFilter, hub.FinishReason);
        Assert.Empty(hub.Content);
    }

    [Fact]
    public void Writes_one_candidate_with_reasoning_unless_suppressed()
    {
        var response = new HubResponse { Id = "msg_01", Model = "claude-sonnet-4-5", FinishReason = HubFinishReason.ToolCalls };
        response.Content.AddRange([new ReasoningPart("Need the weather.", "RXVnSw=="), new ToolCallPart("toolu_01", "get_weather", """{"location":"Paris"}""")]);

        var shown = GeminiCodec.Instance.EncodeResponse(response, NewHub());
        var candidate = Assert.Single(shown.Candidates!);
        Assert.Equal(("STOP", 0L, "model"), (candidate.FinishReason, candidate.Index!.Value, candidate.Content!.Role));
        Assert.Equal(("Need the weather.", true, (string?)null), (candidate.Content.Parts![0].Text, candidate.Content.Parts[0].Thought, candidate.Content.Parts[0].ThoughtSignature));
        Assert.Equal(("toolu_01", "RXVnSw=="), (candidate.Content.Parts[1].FunctionCall!.Id, candidate.Content.Parts[1].ThoughtSignature));
        Assert.Equal(("msg_01", "claude-sonnet-4-5"), (shown.ResponseId, shown.ModelVersion));

        var hidden = NewHub();
        hidden.Output = new OutputOptions(SuppressReasoning: true);
        var parts = Assert.Single(GeminiCodec.Instance.EncodeResponse(response, hidden).Candidates!).Content!.Parts!;
        var call = Assert.Single(parts);
        Assert.Null(call.ThoughtSignature);
        Assert.Equal("get_weather", call.FunctionCall!.Name);
    }

    [Theory]
    [InlineData(HubFinishReason.Stop, "STOP")]
    [InlineData(HubFinishReason.ToolCalls, "STOP")]
    [InlineData(HubFinishReason.Length, "MAX_TOKENS")]
    [InlineData(HubFinishReason.ContentFilter, "SAFETY")]
    public void Writes_finish_reasons(HubFinishReason reason, string expected)
    {
        var response = new HubResponse { Id = "x", Model = "m", FinishReason = reason };

        var candidate = Assert.Single(GeminiCodec.Instance.EncodeResponse(response, NewHub()).Candidates!);

        Assert.Equal(expected, candidate.FinishReason);
        Assert.Null(candidate.Content!.Parts);
    }

    [Fact]
    public void Gemini_answers_survive_a_trip_through_the_hub()
    {
        foreach (var scenario in new[] { "text", "tools", "parallel-tools", "reasoning", "usage-cached", "stop-length" })
        {
            var original = Response(scenario);
            var again = GeminiCodec.Instance.EncodeResponse(GeminiCodec.Instance.DecodeResponse(original), NewHub());

            var before = original.Candidates![0];
            var after = again.Candidates![0];
            Assert.Equal(before.FinishReason, after.FinishReason);
            Assert.Equal(before.Content!.Parts!.Count, after.Content!.Parts!.Count);
            for (var i = 0; i < before.Content.Parts.Count; i++)
            {
                var (b, a) = (before.Content.Parts[i], after.Content.Parts[i]);
                Assert.Equal((b.Text, b.Thought), (a.Text, a.Thought));
                // A signature comes back in the form that carries its origin, and reads back as Gemini's own.
                Assert.Equal(b.ThoughtSignature is null ? default : (b.ThoughtSignature, SignatureOrigin.Gemini),
                    a.ThoughtSignature is null ? default : GeminiSignatures.FromClient(a.ThoughtSignature));
                Assert.Equal(Compact(b.FunctionCall?.Args), Compact(a.FunctionCall?.Args));
            }
            var (u, v) = (original.UsageMetadata!, again.UsageMetadata!);
            Assert.Equal((u.PromptTokenCount, u.CachedContentTokenCount, u.CandidatesTokenCount, u.ThoughtsTokenCount, u.TotalTokenCount),
                (v.PromptTokenCount, v.CachedContentTokenCount, v.CandidatesTokenCount, v.ThoughtsTokenCount, v.TotalTokenCount));
            Assert.Equal((original.ResponseId, original.ModelVersion), (again.ResponseId, again.ModelVersion));
        }
    }
}
