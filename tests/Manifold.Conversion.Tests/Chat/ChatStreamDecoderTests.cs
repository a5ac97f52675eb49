using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Tests.Chat;

public sealed class ChatStreamDecoderTests
{
    private static List<HubStreamEvent> Decode(params string[] chunks) =>
        HubStreams.Decode(chunks.Select(ChatJson.Parse<CreateChatCompletionStreamResponse>),
            ChatCodec.Instance.CreateStreamDecoder(new HubRequest { Model = "requested-model", Stream = true }));

    private static string Chunk(string delta, string? finish = null) =>
        $$"""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{(finish is null ? "null" : $"\"{finish}\"")}}}]}""";

    private const string UsageChunk =
        """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":1}}}""";

    [Fact]
    public void Text_stream_with_a_usage_chunk_after_the_finish()
    {
        var events = Decode(
            Chunk("""{"role":"assistant","content":"","refusal":null}"""),
            Chunk("""{"content":"Hel"}"""),
            Chunk("""{"content":"lo"}"""),
            Chunk("{}", "stop"),
            UsageChunk);
        Assert.Equal<HubStreamEvent>(
        [
            new StreamStarted("chatcmpl-1", "gpt-4o", 1700000000),
            new TextDelta("Hel"),
            new TextDelta("lo"),
            new StreamFinished(HubFinishReason.Stop, new HubUsage(9, 4) { CachedInputTokens = 2, ReasoningTokens = 1 }),
        ], events);
    }

    [Fact]
    public void Interleaved_parallel_tool_calls_keep_their_indexes()
    {
        var events = Decode(
            Chunk("""{"role":"assistant","content":null}"""),
            Chunk("""{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"f","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"g","arguments":"{\"x\""}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":":1}"}}]}"""),
            Chunk("{}", "tool_calls"));
        Assert.Equal<HubStreamEvent>(
        [
            new StreamStarted("chatcmpl-1", "gpt-4o", 1700000000),
            new ToolCallStarted(0, "call_a", "f"),
            new ToolCallStarted(1, "call_b", "g"),
            new ToolCallArgumentsDelta(1, "{\"x\""),
            new ToolCallArgumentsDelta(0, "{}"),
            new ToolCallArgumentsDelta(1, ":1}"),
            new StreamFinished(HubFinishReason.ToolCalls),
        ], events);
    }

    [Fact]
    public void Compatible_quirks_are_tolerated()
    {
        var events = Decode(
            // DeepSeek reasoning, then a call whose name comes after its first fragment and without an id,
            // then the usage on the finish chunk itself.
            Chunk("""{"role":"assistant","content":null,"reasoning_content":"Hmm."}"""),
            Chunk("""{"tool_calls":[{"index":3,"function":{"arguments":"{\"q\":"}}]}"""),
            Chunk("""{"tool_calls":[{"index":3,"function":{"name":"search","arguments":"1}"}}]}"""),
            """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""");
        Assert.Equal<HubStreamEvent>(
        [
            new StreamStarted("chatcmpl-1", "gpt-4o", 1700000000),
            new ReasoningDelta("Hmm."),
            new ToolCallStarted(0, "call_0", "search"),
            new ToolCallArgumentsDelta(0, "{\"q\":"),
            new ToolCallArgumentsDelta(0, "1}"),
            new StreamFinished(HubFinishReason.ToolCalls, new HubUsage(5, 7)),
        ], events);
    }

    [Fact]
    public void A_stream_cut_short_still_starts_and_finishes()
    {
        Assert.Equal<HubStreamEvent>([new StreamStarted("", "requested-model", 0), new StreamFinished(HubFinishReason.Stop)], Decode());
        var calls = Decode(Chunk("""{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{"}}]}"""));
        Assert.Equal(new StreamFinished(HubFinishReason.ToolCalls), calls[^1]);
    }

    [Fact]
    public void Refusals_and_manifold_tokens_from_an_upstream_manifold_decode()
    {
        var events = Decode(
            Chunk("""{"refusal":"No."}"""),
            Chunk("""{"reasoning_signature":"sig-1"}"""),
            Chunk("{}", "content_filter"));
        Assert.Equal<HubStreamEvent>(
        [
            new StreamStarted("chatcmpl-1", "gpt-4o", 1700000000),
            new RefusalDelta("No."),
            new ReasoningSignature("sig-1"),
            new StreamFinished(HubFinishReason.ContentFilter),
        ], events);
    }
}
