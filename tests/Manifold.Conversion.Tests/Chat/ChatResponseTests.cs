using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Tests.Chat;

public sealed class ChatResponseTests
{
    [Fact]
    public void An_answer_decodes_with_reasoning_first_and_openai_usage_as_is()
    {
        var hub = ChatCodec.Instance.DecodeResponse(ChatJson.Parse<CreateChatCompletionResponse>("""
            {"id":"chatcmpl-1","object":"chat.completion","created":1741570283,"model":"o3",
             "choices":[{"index":0,"logprobs":null,"finish_reason":"tool_calls","message":{"role":"assistant","content":"Checking.","refusal":null,
               "reasoning_content":"Think.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}}],
             "usage":{"prompt_tokens":100,"completion_tokens":40,"total_tokens":140,
               "prompt_tokens_details":{"cached_tokens":60},"completion_tokens_details":{"reasoning_tokens":25}}}
            """));
        Assert.Equal(("chatcmpl-1", "o3", 1741570283L), (hub.Id, hub.Model, hub.Created));
        Assert.Equal([new ReasoningPart("Think."), new TextPart("Checking."), new ToolCallPart("call_1", "f", "{}")], hub.Content);
        Assert.Equal(HubFinishReason.ToolCalls, hub.FinishReason);
        Assert.Equal(new HubUsage(100, 40) { CachedInputTokens = 60, ReasoningTokens = 25 }, hub.Usage);
        Assert.Equal(40, hub.Usage!.UncachedInputTokens);
    }

    [Fact]
    public void Compatible_services_reasoning_and_cache_fields_are_understood()
    {
        var hub = ChatCodec.Instance.DecodeResponse(ChatJson.Parse<CreateChatCompletionResponse>("""
            {"id":"x","object":"chat.completion","created":1,"model":"m",
             "choices":[{"index":0,"logprobs":null,"finish_reason":"function_call","message":{"role":"assistant","content":null,"refusal":null,
               "reasoning":"vLLM names it reasoning.","function_call":{"name":"f","arguments":"{}"}}}],
             "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":2}}
            """));
        Assert.Equal([new ReasoningPart("vLLM names it reasoning."), new ToolCallPart("call_0", "f", "{}")], hub.Content);
        Assert.Equal(HubFinishReason.ToolCalls, hub.FinishReason);
        Assert.Equal(8, hub.Usage!.CachedInputTokens);
    }

    [Theory]
    [InlineData("stop", HubFinishReason.Stop)]
    [InlineData("length", HubFinishReason.Length)]
    [InlineData("tool_calls", HubFinishReason.ToolCalls)]
    [InlineData("function_call", HubFinishReason.ToolCalls)]
    [InlineData("content_filter", HubFinishReason.ContentFilter)]
    [InlineData("insufficient_system_resource", HubFinishReason.Stop)]
    public void Finish_reasons_decode(string reason, HubFinishReason expected)
    {
        var hub = ChatCodec.Instance.DecodeResponse(ChatJson.Parse<CreateChatCompletionResponse>(
            $$$"""{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"logprobs":null,"finish_reason":"{{{reason}}}","message":{"role":"assistant","content":"a","refusal":null}}]}"""));
        Assert.Equal(expected, hub.FinishReason);
    }

    [Theory]
    [InlineData(HubFinishReason.Stop, "stop")]
    [InlineData(HubFinishReason.Length, "length")]
    [InlineData(HubFinishReason.ToolCalls, "tool_calls")]
    [InlineData(HubFinishReason.ContentFilter, "content_filter")]
    [InlineData(HubFinishReason.Paused, "length")]
    public void Finish_reasons_encode(HubFinishReason reason, string expected)
    {
        var response = new HubResponse { Id = "x", Model = "m", Created = 1, FinishReason = reason };
        Assert.Equal(expected, ChatCodec.Instance.EncodeResponse(response, new HubRequest { Model = "m" }).Choices[0].FinishReason);
    }

    [Fact]
    public void An_answer_encodes_in_openais_shape()
    {
        var response = new HubResponse { Id = "msg_01", Model = "claude-sonnet-4-5", Created = 0, FinishReason = HubFinishReason.ToolCalls };
        response.Content.Add(new TextPart("Let me "));
        response.Content.Add(new TextPart("check."));
        response.Content.Add(new ToolCallPart("toolu_1", "f", "{\"a\":1}"));
        response.Usage = new HubUsage(120, 30) { CachedInputTokens = 100, CacheCreationInputTokens = 10 };

        var chat = ChatCodec.Instance.EncodeResponse(response, new HubRequest { Model = "claude-sonnet-4-5" });

        Assert.Equal("chatcmpl-msg_01", chat.Id);
        Assert.True(chat.Created > 1_700_000_000);
        chat.Created = 0;
        Assert.Equal(
            """
            {"id":"chatcmpl-msg_01","object":"chat.completion","created":0,"model":"claude-sonnet-4-5","choices":[{"index":0,"message":{"role":"assistant","content":"Let me check.","refusal":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150,"prompt_tokens_details":{"cached_tokens":100},"completion_tokens_details":{"reasoning_tokens":0}}}
            """,
            ChatJson.Text(chat));
    }

    [Fact]
    public void Reasoning_is_shown_only_when_asked_and_the_signature_only_unless_closed()
    {
        var response = new HubResponse { Id = "x", Model = "m", Created = 1 };
        response.Content.Add(new ReasoningPart("Thinking.", "sig"));
        response.Content.Add(new TextPart("Answer."));

        ChatCompletionResponseMessage Message(OutputOptions output) =>
            ChatCodec.Instance.EncodeResponse(response, new HubRequest { Model = "m", Output = output }).Choices[0].Message;

        var shown = Message(new OutputOptions(ReasoningAsContent: true));
        Assert.Equal(("Thinking.", "sig"), (shown.ReasoningContent, shown.ReasoningSignature));

        // Hidden by default, but the token still carries the signed text so the next turn can continue.
        var hidden = Message(OutputOptions.Default);
        Assert.Null(hidden.ReasoningContent);
        Assert.StartsWith("mfr1.", hidden.ReasoningSignature);

        var closed = Message(new OutputOptions(SuppressReasoning: true, ReasoningAsContent: true));
        Assert.Null(closed.ReasoningContent);
        Assert.Null(closed.ReasoningSignature);
        Assert.Equal("Answer.", closed.Content);
    }
}
