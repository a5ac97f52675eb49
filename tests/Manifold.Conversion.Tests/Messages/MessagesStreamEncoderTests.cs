using System.Text.Json.Nodes;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using static Manifold.Conversion.Tests.Messages.MessagesFixtures;

namespace Manifold.Conversion.Tests.Messages;

public sealed class MessagesStreamEncoderTests
{
    [Theory]
    [InlineData("text")]
    [InlineData("tools")]
    [InlineData("parallel-tools")]
    [InlineData("reasoning")]
    [InlineData("usage-cached")]
    [InlineData("stop-length")]
    public void A_decoded_anthropic_stream_encodes_back_to_the_same_events(string scenario)
    {
        // Pings and empty JSON fragments carry nothing; everything else, the API's nulls included, signatures included, comes back
        // (signatures tagged with the platform that issued them, as a client of a converted answer sees them).
        var original = Stream(scenario).Where(static e => e.Type != "ping" && e.Delta is not { Type: "input_json_delta", PartialJson: "" }).ToList();
        foreach (var e in original)
        {
            if (e.Message is { } message)
            {
                message.Usage = WithoutServiceTier(message.Usage);
            }
            if (e.Delta is { Type: "signature_delta", Signature: { } signature } signed)
            {
                signed.Signature = SignatureOrigin.Tag(signature, SignatureOrigin.Anthropic);
            }
        }
        var encoded = EncodeStream(DecodeStream(scenario));
        AssertGrammar(encoded);
        var usage = encoded[^2].Usage!;
        encoded[^2].Usage = new MessageDeltaUsage { OutputTokens = usage.OutputTokens };

        Assert.Equal(original.Count, encoded.Count);
        for (var i = 0; i < original.Count; i++)
        {
            var expected = Node(original[i]);
            Assert.True(JsonNode.DeepEquals(expected, Node(encoded[i])), $"{scenario}[{i}]: {Node(encoded[i]).ToJsonString()}");
        }
    }

    [Fact]
    public void Interleaved_parallel_call_arguments_become_sequential_blocks()
    {
        var events = new HubStreamEvent[]
        {
            new StreamStarted("chatcmpl-1", "gpt-4o", 1737432000),
            new TextDelta("Checking both."),
            new ToolCallStarted(0, "call_a", "get_weather"),
            new ToolCallArgumentsDelta(0, "{\"location\":"),
            new ToolCallStarted(1, "call_b", "get_time"),
            new ToolCallArgumentsDelta(1, "{\"timezone\":"),
            new ToolCallArgumentsDelta(0, "\"Paris\"}"),
            new ToolCallArgumentsDelta(1, "\"Europe/Paris\"}"),
            new StreamFinished(HubFinishReason.ToolCalls, new HubUsage(120, 40) { CachedInputTokens = 100 }),
        };

        var encoded = EncodeStream(events);

        AssertGrammar(encoded);
        Assert.Equal(
            ["message_start",
             "content_block_start", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_stop",
             "message_delta", "message_stop"],
            encoded.Select(static e => e.Type));
        Assert.Equal("call_a", encoded[4].ContentBlock!.Id);
        Assert.Equal("{\"location\":\"Paris\"}", encoded[5].Delta!.PartialJson + encoded[6].Delta!.PartialJson);
        Assert.Equal("call_b", encoded[8].ContentBlock!.Id);
        Assert.Equal("get_time", encoded[8].ContentBlock!.Name);
        Assert.Equal("{\"timezone\":\"Europe/Paris\"}", encoded[9].Delta!.PartialJson);
        AssertJson("""{"stop_reason":"tool_use","stop_sequence":null,"stop_details":null,"container":null}""", Node(encoded[^2].Delta));
        AssertJson("""{"output_tokens":40,"input_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":100}""", Node(encoded[^2].Usage));
    }

    [Fact]
    public void Message_start_reports_what_is_known_and_message_delta_the_rest()
    {
        var encoded = EncodeStream([
            new StreamStarted("abc", "gpt-4o", 0),
            new TextDelta("Hi"),
            new UsageReported(new HubUsage(30, 2)),
            new StreamFinished(HubFinishReason.Stop),
        ]);

        AssertJson("""
            {"type":"message_start","message":{"id":"msg_abc","type":"message","role":"assistant","content":[],"model":"gpt-4o",
             "stop_reason":null,"stop_sequence":null,"stop_details":null,"container":null,"diagnostics":null,
             "usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":null,"server_tool_use":null,"service_tier":null,"speed":null,"inference_geo":null,"output_tokens_details":null}}}
            """, Node(encoded[0]));
        AssertJson("""{"output_tokens":2,"input_tokens":30,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}""", Node(encoded[^2].Usage));
    }

    [Fact]
    public void A_signature_alone_is_a_thinking_block_of_its_own()
    {
        var encoded = EncodeStream([
            new StreamStarted("r1", "gemini-2.5-flash", 0),
            new ReasoningSignature("sig-for-the-call"),
            new ToolCallStarted(0, "call_0", "f"),
            new ToolCallArgumentsDelta(0, "{}"),
            new StreamFinished(HubFinishReason.ToolCalls),
        ]);

        AssertGrammar(encoded);
        AssertJson("""{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""", Node(encoded[1]));
        AssertJson("""{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig-for-the-call"}}""", Node(encoded[2]));
        Assert.Equal("tool_use", encoded[4].ContentBlock!.Type);
        Assert.Equal(1, encoded[4].Index);
    }

    [Fact]
    public void Reasoning_after_a_signature_opens_a_new_thinking_block()
    {
        var encoded = EncodeStream([
            new ReasoningDelta("first"),
            new ReasoningSignature("s1"),
            new ReasoningDelta("second"),
            new ReasoningSignature("s2"),
            new TextDelta("answer"),
            new StreamFinished(HubFinishReason.Stop),
        ]);

        AssertGrammar(encoded);
        Assert.Equal(["thinking", "thinking", "text"], encoded.Where(static e => e.Type == "content_block_start").Select(static e => e.ContentBlock!.Type));
    }

    [Fact]
    public void Close_reasoning_content_opens_no_reasoning_blocks_and_indexes_stay_dense()
    {
        var request = NewHub();
        request.Output = new OutputOptions(SuppressReasoning: true);

        var encoded = EncodeStream(DecodeStream("reasoning"), request);

        AssertGrammar(encoded);
        Assert.DoesNotContain(encoded, static e => e.ContentBlock?.Type is "thinking" or "redacted_thinking" || e.Delta?.Type is "thinking_delta" or "signature_delta");
        Assert.Equal(0, encoded.Single(static e => e.Type == "content_block_start").Index);
    }

    [Fact]
    public void Refusals_are_text_with_the_refusal_stop_reason()
    {
        var encoded = EncodeStream([new RefusalDelta("I can't help with that."), new StreamFinished(HubFinishReason.ContentFilter)]);

        Assert.Equal("text_delta", encoded[2].Delta!.Type);
        Assert.Equal("refusal", encoded[^2].Delta!.StopReason);
    }

    [Fact]
    public void A_stop_sequence_is_reported_in_message_delta()
    {
        var encoded = EncodeStream([new TextDelta("Once"), new StreamFinished(HubFinishReason.Stop, null, "THE END")]);

        AssertJson("""{"stop_reason":"stop_sequence","stop_sequence":"THE END","stop_details":null,"container":null}""", Node(encoded[^2].Delta));
    }

    [Fact]
    public void A_hub_stream_that_never_finished_still_closes_the_message()
    {
        var encoder = Codec.CreateStreamEncoder(NewHub("claude-x"));
        var output = new List<MessageStreamEvent>();
        encoder.Encode(new StreamStarted("m1", "claude-x", 0), output);
        encoder.Encode(new ToolCallStarted(0, "call_1", "f"), output);
        encoder.Encode(new ToolCallStarted(1, "call_2", "g"), output);
        encoder.Encode(new ToolCallArgumentsDelta(1, "{\"x\":1}"), output);
        encoder.Finish(output);

        AssertGrammar(output);
        Assert.Equal("end_turn", output[^2].Delta!.StopReason);
        Assert.Equal(["call_1", "call_2"], output.Where(static e => e.Type == "content_block_start").Select(static e => e.ContentBlock!.Id));
    }

    [Fact]
    public void An_empty_stream_is_still_a_whole_message()
    {
        var encoded = EncodeStream([], NewHub("claude-x"));

        Assert.Equal(["message_start", "message_delta", "message_stop"], encoded.Select(static e => e.Type));
        Assert.Equal("claude-x", encoded[0].Message!.Model);
        Assert.StartsWith("msg_", encoded[0].Message!.Id);
    }

    /// <summary>
    /// Anthropic's event grammar, which clients' accumulators rely on: message_start first; blocks strictly one
    /// after another with indexes 0, 1, 2…, each started, given deltas and stopped under its own index; then
    /// message_delta and message_stop last.
    /// </summary>
    internal static void AssertGrammar(List<MessageStreamEvent> events)
    {
        Assert.Equal("message_start", events[0].Type);
        Assert.Equal("message_delta", events[^2].Type);
        Assert.Equal("message_stop", events[^1].Type);
        long next = 0;
        long? open = null;
        foreach (var e in events.Skip(1).SkipLast(2))
        {
            switch (e.Type)
            {
                case "content_block_start":
                    Assert.Null(open);
                    Assert.Equal(next, e.Index);
                    open = next++;
                    break;
                case "content_block_delta":
                    Assert.Equal(open, e.Index);
                    break;
                case "content_block_stop":
                    Assert.Equal(open, e.Index);
                    open = null;
                    break;
                case "ping":
                    break;
                default:
                    Assert.Fail($"Unexpected {e.Type} inside the message.");
                    break;
            }
            Assert.True(e.Validate() is null, e.Type);
        }
        Assert.Null(open);
    }
}
