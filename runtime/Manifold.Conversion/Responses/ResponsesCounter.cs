using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>OpenAI's <c>POST /v1/responses/input_tokens</c> (the openai plugin's), for clients of other protocols.</summary>
internal sealed class ResponsesCounter(IResponsesAdapter adapter) : IHubTokenCounter
{
    public async Task<long> CountTokensAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var body = ResponsesCodec.Instance.EncodeRequest(request);
        // The fields input_tokens takes; it refuses the others (store, include, max_output_tokens, ...).
        var count = await adapter.CountInputTokensAsync(new InputTokensRequest
        {
            Model = body.Model,
            Input = body.Input,
            Instructions = body.Instructions,
            Tools = body.Tools,
            ToolChoice = body.ToolChoice,
            Reasoning = body.Reasoning,
            Text = body.Text,
        }, context, cancellationToken).ConfigureAwait(false);
        return count.InputTokens;
    }
}
