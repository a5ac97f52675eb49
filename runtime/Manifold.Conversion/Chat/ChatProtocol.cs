using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Chat;

/// <summary>OpenAI Chat Completions as the host sees it: an inbound protocol and a platform protocol.</summary>
public sealed class ChatProtocol : IInboundProtocol, IPlatformProtocol
{
    public static ChatProtocol Instance { get; } = new();

    private ChatProtocol()
    {
    }

    public Type AdapterType => typeof(IChatCompletionsAdapter);

    public string DisplayName => ChatCodec.DisplayName;

    /// <summary>
    /// A model suffix becomes <c>reasoning_effort</c>, Chat's only reasoning field (a budget becomes the smallest
    /// effort that covers it; <c>-nothinking</c> is <c>none</c>), overriding what the body said.
    /// </summary>
    public OutputOptions Prepare(object request, ModelSuffix? suffix, OutputOptions fromQuery)
    {
        var chat = (CreateChatCompletionRequest)request;
        if (suffix is not null)
        {
            chat.Model = suffix.Model;
            chat.ReasoningEffort = ReasoningBudgets.EffortOf(suffix.Reasoning) ?? chat.ReasoningEffort;
        }
        return RequestExtras.Take(chat.AdditionalProperties, fromQuery);
    }

    /// <summary>Chat Completions has no token counting to serve, so the counter goes unused.</summary>
    public object CreateBridge(IHubTarget target, IHubTokenCounter? counter, OutputOptions output) => new ChatBridge(target, output);

    public IHubTarget CreateTarget(object adapter) => new ChatTarget((IChatCompletionsAdapter)adapter);

    /// <summary>Chat Completions has no token counter; a platform that speaks only it is estimated.</summary>
    public IHubTokenCounter? CreateCounter(object adapter) => null;

    /// <summary>
    /// Pass-through answers come from a Chat platform as it sent them (DeepSeek's reasoning_content included);
    /// only <c>close_reasoning_content</c> changes them.
    /// </summary>
    public object FilterResponse(object response, OutputOptions output)
    {
        var chat = (CreateChatCompletionResponse)response;
        if (output.SuppressReasoning)
        {
            foreach (var choice in chat.Choices)
            {
                choice.Message.ReasoningContent = null;
                choice.Message.ReasoningSignature = null;
                choice.Message.AdditionalProperties?.Remove("reasoning");
            }
        }
        return chat;
    }

    /// <summary>Strips reasoning deltas for <c>close_reasoning_content</c>; a chunk left with nothing to say is dropped.</summary>
    /// <summary>This protocol's filtering needs no per-stream state: every chunk goes through <see cref="FilterChunk"/>.</summary>
    public Func<object, object?> CreateChunkFilter(OutputOptions output) => chunk => FilterChunk(chunk, output);

    public object? FilterChunk(object chunk, OutputOptions output)
    {
        var chat = (CreateChatCompletionStreamResponse)chunk;
        if (!output.SuppressReasoning)
        {
            return chat;
        }
        var stripped = false;
        foreach (var choice in chat.Choices ?? [])
        {
            if (choice.Delta is not { } delta)
            {
                continue;
            }
            stripped |= delta.ReasoningContent is not null || delta.ReasoningSignature is not null
                || delta.AdditionalProperties?.ContainsKey("reasoning") == true;
            delta.ReasoningContent = null;
            delta.ReasoningSignature = null;
            delta.AdditionalProperties?.Remove("reasoning");
        }
        return stripped && chat.Usage is null && chat.Choices?.TrueForAll(IsEmpty) == true ? null : chat;
    }

    private static bool IsEmpty(CreateChatCompletionStreamResponseChoice choice) =>
        choice.FinishReason is null
        && choice.Delta is null or { Role: null, Content: null or "", Refusal: null, ToolCalls: null, FunctionCall: null, AdditionalProperties: null or { Count: 0 } };
}
