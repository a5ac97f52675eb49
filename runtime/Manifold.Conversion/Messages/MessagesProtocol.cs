using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>Anthropic Messages as the host sees it: an inbound protocol and a platform protocol.</summary>
public sealed class MessagesProtocol : IInboundProtocol, IPlatformProtocol
{
    public static MessagesProtocol Instance { get; } = new();

    private MessagesProtocol()
    {
    }

    public Type AdapterType => typeof(IMessagesAdapter);

    public string DisplayName => MessagesCodec.DisplayName;

    /// <summary>
    /// Readies a create-message or count-tokens request. A model suffix becomes <c>thinking</c>, Anthropic's own
    /// field, overriding what the body said: <c>-nothinking</c> disables it, the others enable it with the
    /// suffix's budget (an effort's from <see cref="ReasoningBudgets"/>), at least 1024 and below max_tokens.
    /// </summary>
    public OutputOptions Prepare(object request, ModelSuffix? suffix, OutputOptions fromQuery)
    {
        OutputOptions output;
        switch (request)
        {
            case CreateMessageRequest create:
                // Required by Anthropic, optional in the spec only so that absent is not read as 0 (see messages.yaml).
                // Refused here, passed through or converted, so no platform is called with a request Anthropic would reject.
                if (create.MaxTokens is null)
                {
                    throw new ManifoldException(400, "invalid_request_error", "max_tokens: Field required", "max_tokens", "missing_required_parameter");
                }
                if (suffix is not null)
                {
                    create.Model = suffix.Model;
                    create.Thinking = MessagesThinking.Encode(suffix.Reasoning, create.MaxTokens, "max_tokens").Thinking;
                }
                output = RequestExtras.Take(create.AdditionalProperties, fromQuery);
                break;
            case CountTokensRequest count:
                if (suffix is not null)
                {
                    count.Model = suffix.Model;
                    count.Thinking = MessagesThinking.Encode(suffix.Reasoning, null, "max_tokens").Thinking;
                }
                output = RequestExtras.Take(count.AdditionalProperties, fromQuery);
                break;
            default:
                throw new ArgumentException($"Not an Anthropic Messages request: {request.GetType().Name}.", nameof(request));
        }
        return output;
    }

    public object CreateBridge(IHubTarget target, IHubTokenCounter? counter, OutputOptions output) => new MessagesBridge(target, counter, output);

    public IHubTarget CreateTarget(object adapter) => new MessagesTarget((IMessagesAdapter)adapter);

    public IHubTokenCounter CreateCounter(object adapter) => new MessagesCounter((IMessagesAdapter)adapter);

    /// <summary>
    /// Pass-through answers come from an Anthropic platform as it sent them; only <c>close_reasoning_content</c>
    /// changes them. Token counts (the other operation of the same adapter) pass unchanged.
    /// </summary>
    public object FilterResponse(object response, OutputOptions output) =>
        output.SuppressReasoning && response is Message message ? MessagesReasoningFilter.Strip(message) : response;

    /// <summary>Strips thinking blocks for <c>close_reasoning_content</c>, renumbering the blocks after them (one filter per stream).</summary>
    public Func<object, object?> CreateChunkFilter(OutputOptions output)
    {
        if (!output.SuppressReasoning)
        {
            return static chunk => chunk;
        }
        var filter = new MessagesReasoningFilter();
        return chunk => filter.Strip((MessageStreamEvent)chunk);
    }
}
