using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>OpenAI Responses as the host sees it: an inbound protocol any platform can serve, and a platform protocol OpenAI speaks.</summary>
public sealed class ResponsesProtocol : IInboundProtocol, IPlatformProtocol
{
    /// <summary>The protocol's name in messages.</summary>
    public const string Name = "OpenAI Responses";

    /// <summary>What serves a Responses request that is being converted, for messages about what cannot be.</summary>
    internal const string Converted = "a platform that does not speak OpenAI Responses";

    public static ResponsesProtocol Instance { get; } = new();

    private ResponsesProtocol()
    {
    }

    public Type AdapterType => typeof(IResponsesAdapter);

    public string DisplayName => Name;

    /// <summary>
    /// A model suffix becomes <c>reasoning.effort</c> (a budget is turned into the effort that covers it), and
    /// <c>-thinking</c> also asks for the reasoning summary, the only reasoning text Responses returns.
    /// </summary>
    public OutputOptions Prepare(object request, ModelSuffix? suffix, OutputOptions fromQuery)
    {
        switch (request)
        {
            case CreateResponseRequest create:
                if (suffix is not null)
                {
                    create.Model = suffix.Model;
                    create.Reasoning = ApplySuffix(create.Reasoning, suffix);
                }
                return RequestExtras.Take(create.AdditionalProperties, fromQuery);
            case InputTokensRequest count:
                if (suffix is not null)
                {
                    count.Model = suffix.Model;
                    count.Reasoning = ApplySuffix(count.Reasoning, suffix);
                }
                return RequestExtras.Take(count.AdditionalProperties, fromQuery);
            default:
                throw new ArgumentException($"Not an OpenAI Responses request: {request.GetType().Name}.", nameof(request));
        }
    }

    private static ResponseReasoningConfig? ApplySuffix(ResponseReasoningConfig? reasoning, ModelSuffix suffix)
    {
        if (ReasoningBudgets.EffortOf(suffix.Reasoning) is { } effort)
        {
            (reasoning ??= new ResponseReasoningConfig()).Effort = effort;
        }
        if (suffix.Reasoning is { Enabled: true, IncludeThoughts: true })
        {
            (reasoning ??= new ResponseReasoningConfig()).Summary ??= "auto";
        }
        return reasoning;
    }

    public object CreateBridge(IHubTarget target, IHubTokenCounter? counter, OutputOptions output) => new ResponsesBridge(target, counter, output);

    public IHubTarget CreateTarget(object adapter) => new ResponsesTarget((IResponsesAdapter)adapter);

    public IHubTokenCounter CreateCounter(object adapter) => new ResponsesCounter((IResponsesAdapter)adapter);

    /// <summary>Hides the reasoning items of a complete answer for <c>close_reasoning_content</c>; a token count passes unchanged.</summary>
    public object FilterResponse(object response, OutputOptions output)
    {
        if (output.SuppressReasoning && response is Response body)
        {
            body.Output?.RemoveAll(static item => item.Type == "reasoning");
        }
        return response;
    }

    /// <summary>
    /// Hides reasoning in a stream for <c>close_reasoning_content</c>: its summary and text events are dropped and
    /// its items emptied (no summary, content or encrypted content). The items themselves stay, because the events
    /// after them number output items by position and this filter sees one event at a time; removing an item would
    /// need every later index renumbered.
    /// </summary>
    /// <summary>This protocol's filtering needs no per-stream state: every chunk goes through <see cref="FilterChunk"/>.</summary>
    public Func<object, object?> CreateChunkFilter(OutputOptions output) => chunk => FilterChunk(chunk, output);

    public object? FilterChunk(object chunk, OutputOptions output)
    {
        var streamEvent = (ResponseStreamEvent)chunk;
        if (!output.SuppressReasoning)
        {
            return streamEvent;
        }
        switch (streamEvent.Type)
        {
            case "response.reasoning_summary_part.added" or "response.reasoning_summary_part.done"
                or "response.reasoning_summary_text.delta" or "response.reasoning_summary_text.done"
                or "response.reasoning_text.delta" or "response.reasoning_text.done":
                return null;
            case "response.content_part.added" or "response.content_part.done" when streamEvent.Part?.Type == "reasoning_text":
                return null;
        }
        if (streamEvent.Item is { Type: "reasoning" } item)
        {
            Empty(item);
        }
        foreach (var outputItem in streamEvent.Response?.Output ?? [])
        {
            if (outputItem.Type == "reasoning")
            {
                Empty(outputItem);
            }
        }
        return streamEvent;
    }

    private static void Empty(ResponseOutputItem reasoning)
    {
        reasoning.Summary = [];
        reasoning.Content = null;
        reasoning.EncryptedContent = null;
    }
}
