using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>Anthropic's <c>POST /v1/messages/count_tokens</c> (the claude plugin's), for clients of other protocols.</summary>
internal sealed class MessagesCounter(IMessagesAdapter adapter) : IHubTokenCounter
{
    public async Task<long> CountTokensAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var count = await adapter.CountTokensAsync(ToCountRequest(MessagesCodec.Instance.EncodeRequest(request)), context, cancellationToken).ConfigureAwait(false);
        return count.InputTokens;
    }

    /// <summary>The count_tokens body for a create-message body: the fields the two share (count_tokens has no max_tokens, sampling or stream).</summary>
    internal static CountTokensRequest ToCountRequest(CreateMessageRequest request) => new()
    {
        Model = request.Model,
        Messages = request.Messages,
        System = request.System,
        Tools = request.Tools,
        ToolChoice = request.ToolChoice,
        Thinking = request.Thinking,
        OutputConfig = request.OutputConfig,
    };
}
