using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Tests.Chat;

public sealed class ChatStreamEncoderTests
{
    private static List<CreateChatCompletionStreamResponse> Encode(HubRequest request, params HubStreamEvent[] events) =>
        HubStreams.Encode(events, ChatCodec.Instance.CreateStreamEncoder(request));

    /// <summary>Each chunk's choices (or usage), without the envelope every chunk repeats.</summary>
    private static List<string> Bodies(List<CreateChatCompletionStreamResponse> chunks) =>
        [.. chunks.Select(static c => c.Choices.Count == 0 ? "usage " + ChatJson.Text(c.Usage) : ChatJson.Text(c.Choices[0]))];

    [Fact]
    public void Text_follows_openais_chunk_sequence()
    {
        var chunks = Encode(new HubRequest { Model = "m", StreamUsage = true },
            new StreamStarted("msg_1", "claude-sonnet-4-5", 0) { Usage = new HubUsage(10, 0) },
            new TextDelta("Hel"),
            new TextDelta(""),
            new TextDelta("lo"),
            new StreamFinished(HubFinishReason.Stop, new HubUsage(10, 2)));

        Assert.Equal(
        [
            """{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"content":"lo"},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}""",
            """usage {"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}""",
        ], Bodies(chunks));
        // The same envelope on every chunk, the id with Chat's prefix, and a timestamp since none came.
        Assert.All(chunks, c => Assert.Equal(("chatcmpl-msg_1", "claude-sonnet-4-5", "chat.completion.chunk", chunks[0].Created), (c.Id, c.Model, c.Object, c.Created)));
        Assert.True(chunks[0].Created > 1_700_000_000);
        var usageChunk = ChatJson.Node(chunks[^1]).AsObject();
        Assert.Empty(usageChunk["choices"]!.AsArray());
    }

    [Fact]
    public void Usage_is_left_out_unless_the_client_asked()
    {
        var chunks = Encode(new HubRequest { Model = "m", StreamUsage = false },
            new StreamStarted("1", "m", 5), new TextDelta("x"), new StreamFinished(HubFinishReason.Length, new HubUsage(1, 1)));
        Assert.Equal(3, chunks.Count);
        Assert.Equal("length", chunks[^1].Choices[0].FinishReason);
        Assert.All(chunks, static c => Assert.Null(c.Usage));
    }

    [Fact]
    public void Interleaved_tool_calls_stream_by_index_with_the_header_first()
    {
        var chunks = Encode(new HubRequest { Model = "m", StreamUsage = false },
            new StreamStarted("1", "m", 5),
            new ToolCallStarted(0, "call_a", "f"),
            new ToolCallStarted(1, "call_b", "g"),
            new ToolCallArgumentsDelta(1, "{\"x\":1}"),
            new ToolCallArgumentsDelta(0, "{}"),
            new StreamFinished(HubFinishReason.ToolCalls));
        Assert.Equal(
        [
            """{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"f","arguments":""}}]},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"g","arguments":""}}]},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"x\":1}"}}]},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}""",
        ], Bodies(chunks));
    }

    [Fact]
    public void Reasoning_streams_as_reasoning_content_when_asked_and_its_token_comes_whole_before_the_finish()
    {
        HubStreamEvent[] events =
        [
            new StreamStarted("1", "m", 5),
            new ReasoningDelta("Let me "),
            new ReasoningDelta("think."),
            new ReasoningSignature("sig-a"),
            new TextDelta("Answer."),
            new StreamFinished(HubFinishReason.Stop),
        ];
        var shown = Bodies(Encode(new HubRequest { Model = "m", StreamUsage = false, Output = new OutputOptions(ReasoningAsContent: true) }, events));
        Assert.Equal(
        [
            """{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"reasoning_content":"Let me "},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"reasoning_content":"think."},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"content":"Answer."},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"reasoning_signature":"sig-a"},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}""",
        ], shown);

        var hidden = Encode(new HubRequest { Model = "m", StreamUsage = false }, events);
        Assert.DoesNotContain(hidden, static c => c.Choices[0].Delta.ReasoningContent is not null);
        Assert.StartsWith("mfr1.", hidden[^2].Choices[0].Delta.ReasoningSignature);

        var closed = Encode(new HubRequest { Model = "m", StreamUsage = false, Output = new OutputOptions(SuppressReasoning: true, ReasoningAsContent: true) }, events);
        Assert.Equal(3, closed.Count);
    }

    [Fact]
    public void The_streamed_token_is_the_one_a_complete_answer_carries()
    {
        // Gemini: thoughts, text, then the function call's signature right before it.
        HubStreamEvent[] events =
        [
            new StreamStarted("1", "m", 5),
            new ReasoningDelta("Thoughts."),
            new TextDelta("Calling."),
            new ReasoningSignature("sig-g"),
            new ToolCallStarted(0, "call_0", "f"),
            new ToolCallArgumentsDelta(0, "{}"),
            new StreamFinished(HubFinishReason.ToolCalls),
        ];
        var response = new HubResponse { Id = "1", Model = "m", Created = 5, FinishReason = HubFinishReason.ToolCalls };
        response.Content.AddRange([new ReasoningPart("Thoughts."), new TextPart("Calling."), new ReasoningPart("", "sig-g"), new ToolCallPart("call_0", "f", "{}")]);
        foreach (var output in new[] { OutputOptions.Default, new OutputOptions(ReasoningAsContent: true) })
        {
            var request = new HubRequest { Model = "m", StreamUsage = false, Output = output };
            var streamed = Encode(request, events)[^2].Choices[0].Delta.ReasoningSignature;
            Assert.Equal(ChatCodec.Instance.EncodeResponse(response, request).Choices[0].Message.ReasoningSignature, streamed);
        }
    }

    [Fact]
    public void A_hub_stream_that_never_finished_is_closed_and_one_that_never_started_is_opened()
    {
        var chunks = Encode(new HubRequest { Model = "asked", StreamUsage = true }, new TextDelta("partial"));
        Assert.Equal(
        [
            """{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{"content":"partial"},"logprobs":null,"finish_reason":null}""",
            """{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}""",
        ], Bodies(chunks));
        Assert.Equal("asked", chunks[0].Model);
        Assert.StartsWith("chatcmpl-", chunks[0].Id);
    }

    [Fact]
    public void What_the_encoder_writes_the_decoder_reads_back()
    {
        HubStreamEvent[] events =
        [
            new StreamStarted("chatcmpl-9", "m", 5),
            new ReasoningDelta("r"),
            new TextDelta("t"),
            new RefusalDelta("no"),
            new ToolCallStarted(0, "call_a", "f"),
            new ToolCallStarted(1, "call_b", "g"),
            new ToolCallArgumentsDelta(1, "{}"),
            new ToolCallArgumentsDelta(0, "{\"a\":1}"),
            new StreamFinished(HubFinishReason.ToolCalls, new HubUsage(3, 4) { CachedInputTokens = 1, ReasoningTokens = 2 }),
        ];
        var request = new HubRequest { Model = "m", StreamUsage = true, Output = new OutputOptions(ReasoningAsContent: true) };
        // Through the wire format and back, as a Chat upstream that is itself a Manifold would be read.
        var wire = Encode(request, events).Select(static c => ChatJson.Parse<CreateChatCompletionStreamResponse>(ChatJson.Text(c)));
        Assert.Equal(events, HubStreams.Decode(wire, ChatCodec.Instance.CreateStreamDecoder(request)));
    }
}
