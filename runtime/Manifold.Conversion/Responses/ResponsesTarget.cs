using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>A platform that speaks OpenAI Responses (<see cref="IResponsesAdapter"/>), seen in hub terms.</summary>
internal sealed class ResponsesTarget(IResponsesAdapter adapter) : IHubTarget
{
    public string Protocol => ResponsesProtocol.Name;

    public async Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var body = ResponsesCodec.Instance.EncodeRequest(request);
        body.Stream = null;
        var response = await adapter.CreateResponseAsync(body, context, cancellationToken).ConfigureAwait(false);
        return ResponsesCodec.Instance.DecodeResponse(response);
    }

    /// <summary>Encodes before returning, so a request OpenAI cannot take fails before anything is sent.</summary>
    public IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var body = ResponsesCodec.Instance.EncodeRequest(request);
        body.Stream = true;
        return HubStreams.DecodeAsync(
            adapter.CreateResponseStreamAsync(body, context, cancellationToken), ResponsesCodec.Instance.CreateStreamDecoder(request), cancellationToken);
    }
}
