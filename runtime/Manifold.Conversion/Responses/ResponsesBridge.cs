using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>Serves Responses clients from a platform that does not speak Responses, through the hub.</summary>
internal sealed class ResponsesBridge(IHubTarget target, OutputOptions output) : IResponsesAdapter
{
    public async Task<Response> CreateResponseAsync(CreateResponseRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(request, stream: false);
        var answer = await target.SendAsync(hub, context, cancellationToken).ConfigureAwait(false);
        return ResponsesCodec.Instance.EncodeResponse(answer, hub);
    }

    /// <summary>Decodes before returning, so a request the platform cannot take fails before the stream starts.</summary>
    public IAsyncEnumerable<ResponseStreamEvent> CreateResponseStreamAsync(CreateResponseRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(request, stream: true);
        var encoder = ResponsesCodec.Instance.CreateStreamEncoder(hub);
        return HubStreams.EncodeAsync(target.StreamAsync(hub, context, cancellationToken), encoder, cancellationToken);
    }

    private HubRequest Decode(CreateResponseRequest request, bool stream)
    {
        var hub = ResponsesCodec.Instance.DecodeRequest(request);
        hub.Stream = stream;
        hub.Output = output;
        return hub;
    }
}
