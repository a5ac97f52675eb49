using System.Runtime.CompilerServices;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Tests.Chat;

public sealed class ChatProtocolTests
{
    private static readonly AdapterContext Context = new("test", null, "req-1");

    [Fact]
    public void Chat_is_registered_and_the_preferred_platform_protocol()
    {
        Assert.Contains(ChatCodec.Instance, ProtocolCatalog.Codecs);
        Assert.Contains(ChatProtocol.Instance, ProtocolCatalog.Inbound);
        Assert.Same(ChatProtocol.Instance, ProtocolCatalog.Platform[0]);
        Assert.Equal(typeof(IChatCompletionsAdapter), ChatProtocol.Instance.AdapterType);
    }

    [Theory]
    [InlineData("o3-high", "o3", "high")]
    [InlineData("claude-sonnet-4-5-thinking", "claude-sonnet-4-5", "medium")]
    [InlineData("gemini-2.5-flash-thinking-3000", "gemini-2.5-flash", "medium")]
    [InlineData("deepseek-chat-nothinking", "deepseek-chat", "none")]
    public void A_model_suffix_becomes_the_model_and_reasoning_effort(string model, string stripped, string effort)
    {
        var request = ChatJson.Parse<CreateChatCompletionRequest>(
            $$"""{"model":"{{model}}","reasoning_effort":"low","messages":[],"return_reasoning_content":true,"seed":1}""");
        var output = ChatProtocol.Instance.Prepare(request, ModelSuffix.Parse(model), OutputOptions.Default);
        Assert.Equal((stripped, effort), (request.Model, request.ReasoningEffort));
        Assert.True(output.ReasoningAsContent);
        Assert.Null(request.AdditionalProperties is { Count: > 0 } left ? left : null);
    }

    [Fact]
    public void Without_a_suffix_the_body_is_left_as_sent()
    {
        var request = ChatJson.Parse<CreateChatCompletionRequest>("""{"model":"gpt-4o","reasoning_effort":"low","messages":[]}""");
        var query = new OutputOptions(SuppressReasoning: true);
        Assert.Same(query, ChatProtocol.Instance.Prepare(request, null, query));
        Assert.Equal(("gpt-4o", "low"), (request.Model, request.ReasoningEffort));
    }

    [Fact]
    public void Pass_through_answers_lose_reasoning_only_when_closed()
    {
        const string json = """
            {"id":"x","object":"chat.completion","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"logprobs":null,"finish_reason":"stop",
              "message":{"role":"assistant","content":"A","refusal":null,"reasoning_content":"R"}}]}
            """;
        var open = (CreateChatCompletionResponse)ChatProtocol.Instance.FilterResponse(ChatJson.Parse<CreateChatCompletionResponse>(json), OutputOptions.Default);
        Assert.Equal("R", open.Choices[0].Message.ReasoningContent);
        var closed = (CreateChatCompletionResponse)ChatProtocol.Instance.FilterResponse(ChatJson.Parse<CreateChatCompletionResponse>(json), new OutputOptions(SuppressReasoning: true));
        Assert.Null(closed.Choices[0].Message.ReasoningContent);
        Assert.Equal("A", closed.Choices[0].Message.Content);
    }

    [Fact]
    public void Pass_through_chunks_of_only_reasoning_are_dropped_when_closed()
    {
        static CreateChatCompletionStreamResponse Chunk(string delta, string finish = "null") => ChatJson.Parse<CreateChatCompletionStreamResponse>(
            $$"""{"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish}}}]}""");
        var closed = new OutputOptions(SuppressReasoning: true);
        Assert.Null(ChatProtocol.Instance.FilterChunk(Chunk("""{"content":null,"reasoning_content":"R"}"""), closed));
        var role = (CreateChatCompletionStreamResponse)ChatProtocol.Instance.FilterChunk(Chunk("""{"role":"assistant","content":"","reasoning_content":""}"""), closed)!;
        Assert.Equal("assistant", role.Choices[0].Delta.Role);
        Assert.Null(role.Choices[0].Delta.ReasoningContent);
        Assert.NotNull(ChatProtocol.Instance.FilterChunk(Chunk("""{"reasoning_content":"R"}""", "\"stop\""), closed));
        var open = Chunk("""{"reasoning_content":"R"}""");
        Assert.Same(open, ChatProtocol.Instance.FilterChunk(open, OutputOptions.Default));
    }

    [Fact]
    public async Task The_target_encodes_calls_and_decodes_and_always_asks_for_stream_usage()
    {
        var adapter = new RecordingAdapter();
        var target = ChatProtocol.Instance.CreateTarget(adapter);
        var request = new HubRequest { Model = "gpt-4o", StreamUsage = false };
        request.Messages.Add(new HubMessage(HubRole.User, [new TextPart("Hi")]));

        var response = await target.SendAsync(request, Context, CancellationToken.None);
        Assert.Equal([new TextPart("Hello")], response.Content);
        Assert.Null(adapter.Last!.Stream);

        var events = new List<HubStreamEvent>();
        await foreach (var hubEvent in target.StreamAsync(request, Context, CancellationToken.None))
        {
            events.Add(hubEvent);
        }
        Assert.True(adapter.Last!.Stream);
        Assert.True(adapter.Last.StreamOptions!.IncludeUsage);
        Assert.Equal(new StreamFinished(HubFinishReason.Stop, new HubUsage(3, 1)), events[^1]);
    }

    [Fact]
    public async Task The_bridge_serves_chat_clients_from_a_hub_target_with_their_output_options()
    {
        var hubTarget = new FixedTarget();
        var bridge = (IChatCompletionsAdapter)ChatProtocol.Instance.CreateBridge(hubTarget, null, new OutputOptions(ReasoningAsContent: true));
        var request = ChatJson.Parse<CreateChatCompletionRequest>("""{"model":"claude-x","messages":[{"role":"user","content":"Hi"}]}""");

        var response = await bridge.CreateChatCompletionAsync(request, Context, CancellationToken.None);
        Assert.Equal(("Hello", "Thought."), (response.Choices[0].Message.Content, response.Choices[0].Message.ReasoningContent));
        Assert.False(hubTarget.Last!.Stream);

        var chunks = new List<CreateChatCompletionStreamResponse>();
        await foreach (var chunk in bridge.CreateChatCompletionStreamAsync(request, Context, CancellationToken.None))
        {
            chunks.Add(chunk);
        }
        Assert.True(hubTarget.Last!.Stream);
        // No include_usage from this client: no usage chunk.
        Assert.Equal(["assistant", null, null, null], chunks.Select(static c => c.Choices[0].Delta.Role));
        Assert.Equal("Thought.", chunks[1].Choices[0].Delta.ReasoningContent);
        Assert.Equal("stop", chunks[^1].Choices[0].FinishReason);
    }

    [Fact]
    public void The_bridge_refuses_what_does_not_convert_before_calling_the_platform()
    {
        var hubTarget = new FixedTarget();
        var bridge = (IChatCompletionsAdapter)ChatProtocol.Instance.CreateBridge(hubTarget, null, OutputOptions.Default);
        var request = ChatJson.Parse<CreateChatCompletionRequest>("""{"model":"m","logprobs":true,"messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal("logprobs", Assert.Throws<ConversionException>(() => bridge.CreateChatCompletionStreamAsync(request, Context, CancellationToken.None)).Param);
        Assert.Null(hubTarget.Last);
    }

    private sealed class RecordingAdapter : IChatCompletionsAdapter
    {
        public CreateChatCompletionRequest? Last { get; private set; }

        public Task<CreateChatCompletionResponse> CreateChatCompletionAsync(CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            Last = request;
            return Task.FromResult(ChatJson.Parse<CreateChatCompletionResponse>("""
                {"id":"x","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"logprobs":null,"finish_reason":"stop","message":{"role":"assistant","content":"Hello","refusal":null}}]}
                """));
        }

        public async IAsyncEnumerable<CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(
            CreateChatCompletionRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Last = request;
            await Task.Yield();
            yield return ChatJson.Parse<CreateChatCompletionStreamResponse>("""{"id":"x","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":"stop"}]}""");
            yield return ChatJson.Parse<CreateChatCompletionStreamResponse>("""{"id":"x","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""");
        }
    }

    private sealed class FixedTarget : IHubTarget
    {
        public HubRequest? Last { get; private set; }

        public string Protocol => "Fixed";

        public Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            Last = request;
            var response = new HubResponse { Id = "r", Model = request.Model, Created = 1 };
            response.Content.AddRange([new ReasoningPart("Thought."), new TextPart("Hello")]);
            return Task.FromResult(response);
        }

        public async IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Last = request;
            await Task.Yield();
            yield return new StreamStarted("r", request.Model, 1);
            yield return new ReasoningDelta("Thought.");
            yield return new TextDelta("Hello");
            yield return new StreamFinished(HubFinishReason.Stop, new HubUsage(1, 1));
        }
    }
}
