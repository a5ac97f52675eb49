using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using static Manifold.Conversion.Tests.Messages.MessagesFixtures;

namespace Manifold.Conversion.Tests.Messages;

public sealed class MessagesStreamDecoderTests
{
    [Fact]
    public void Thinking_signature_redacted_thinking_and_text_decode_in_order()
    {
        var events = DecodeStream("reasoning");

        Assert.Equal(
        [
            new StreamStarted("msg_01Lo3QuGm6YZwWqpwcb2o5Ux", "claude-sonnet-4-5-20250929", 0) { Usage = new HubUsage(45, 1) },
            new ReasoningDelta("Compare the decimals: 9.8 = 9.80,"),
            new ReasoningDelta(" and 0.80 > 0.11, so 9.8 is larger."),
            new ReasoningSignature(Response("reasoning").Content[0].Signature!, SignatureOrigin.Anthropic),
            new RedactedReasoning(Response("reasoning").Content[1].Data!),
            new TextDelta("9.8 is larger"),
            new TextDelta(" than 9.11."),
            new StreamFinished(HubFinishReason.Stop, new HubUsage(45, 312)),
        ], events);
    }

    [Fact]
    public void Tool_use_blocks_become_numbered_calls_with_their_json_fragments()
    {
        var events = DecodeStream("parallel-tools");

        Assert.Equal(
        [
            new ToolCallStarted(0, "toolu_01WeatherParis0001", "get_weather"),
            new ToolCallArgumentsDelta(0, "{\"location\": "),
            new ToolCallArgumentsDelta(0, "\"Paris, France\"}"),
            new ToolCallStarted(1, "toolu_01TimeParis00000002", "get_time"),
            new ToolCallArgumentsDelta(1, "{\"timezone\": \"Europe/Paris\"}"),
        ], events.Skip(1).Take(5));
        Assert.Equal(HubFinishReason.ToolCalls, Assert.IsType<StreamFinished>(events[^1]).Reason);
    }

    [Fact]
    public void Final_usage_adds_cache_reads_to_the_input()
    {
        var finished = Assert.IsType<StreamFinished>(DecodeStream("usage-cached")[^1]);

        Assert.Equal(new HubUsage(1821, 14) { CachedInputTokens = 1800 }, finished.Usage);
    }

    [Fact]
    public void Max_tokens_is_a_length_stop()
    {
        Assert.Equal(HubFinishReason.Length, Assert.IsType<StreamFinished>(DecodeStream("stop-length")[^1]).Reason);
    }

    [Fact]
    public void Message_delta_counts_are_cumulative_and_win_over_message_start()
    {
        var chunks = Stream("text");
        chunks[^2].Usage = new MessageDeltaUsage { OutputTokens = 30, InputTokens = 12, CacheReadInputTokens = 100 };

        var finished = Assert.IsType<StreamFinished>(HubStreams.Decode(chunks, Codec.CreateStreamDecoder(NewHub()))[^1]);

        Assert.Equal(new HubUsage(112, 30) { CachedInputTokens = 100 }, finished.Usage);
    }

    [Fact]
    public void A_stop_sequence_is_reported()
    {
        var chunks = Stream("text");
        chunks[^2].Delta = new MessageStreamDelta { StopReason = "stop_sequence", StopSequence = "THE END" };

        var finished = Assert.IsType<StreamFinished>(HubStreams.Decode(chunks, Codec.CreateStreamDecoder(NewHub()))[^1]);

        Assert.Equal(HubFinishReason.Stop, finished.Reason);
        Assert.Equal("THE END", finished.StopSequence);
    }

    [Fact]
    public void A_call_that_streams_no_json_has_empty_object_arguments()
    {
        var chunks = new List<MessageStreamEvent>
        {
            Parse<MessageStreamEvent>("""{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}"""),
            Parse<MessageStreamEvent>("""{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"now","input":{}}}"""),
            Parse<MessageStreamEvent>("""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}"""),
            Parse<MessageStreamEvent>("""{"type":"content_block_stop","index":0}"""),
            Parse<MessageStreamEvent>("""{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}}"""),
            Parse<MessageStreamEvent>("""{"type":"message_stop"}"""),
        };

        var events = HubStreams.Decode(chunks, Codec.CreateStreamDecoder(NewHub()));

        Assert.Equal([new ToolCallStarted(0, "toolu_1", "now"), new ToolCallArgumentsDelta(0, "{}")], events.Skip(1).Take(2));
    }

    [Fact]
    public void A_stream_cut_short_still_finishes_with_what_it_said()
    {
        var chunks = Stream("tools").Take(9).ToList();

        var events = HubStreams.Decode(chunks, Codec.CreateStreamDecoder(NewHub()));

        Assert.Equal(new ToolCallArgumentsDelta(0, "{\"location\": \"Paris, "), events[^2]);
        var finished = Assert.IsType<StreamFinished>(events[^1]);
        Assert.Equal(HubFinishReason.Stop, finished.Reason);
        Assert.Equal(new HubUsage(384, 1), finished.Usage);
    }

    [Fact]
    public void Nothing_at_all_still_starts_and_finishes()
    {
        var events = HubStreams.Decode(Array.Empty<MessageStreamEvent>(), Codec.CreateStreamDecoder(NewHub("claude-opus-4-1")));

        Assert.Equal([new StreamStarted("", "claude-opus-4-1", 0), new StreamFinished(HubFinishReason.Stop)], events);
    }

    [Fact]
    public void An_error_event_is_an_upstream_error()
    {
        var decoder = Codec.CreateStreamDecoder(NewHub());
        var output = new List<HubStreamEvent>();
        decoder.Decode(Stream("text")[0], output);

        var error = Assert.Throws<UpstreamException>(() =>
            decoder.Decode(Parse<MessageStreamEvent>("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""), output));

        Assert.Equal(529, error.StatusCode);
        Assert.Equal("overloaded_error", error.Type);
        Assert.True(error.Retryable);
    }
}
