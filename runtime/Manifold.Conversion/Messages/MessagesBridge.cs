using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>
/// Serves Anthropic Messages clients from a platform that speaks another protocol: the client's request is
/// decoded to the hub, the target answers, and the answer is encoded back. Decoding and the encoder are made
/// before the target is called, so a 400 comes before anything goes upstream and never mid-stream.
/// Token counting has no equivalent on other platforms, so it is estimated here (see <see cref="MessagesTokenEstimate"/>).
/// </summary>
internal sealed class MessagesBridge(IHubTarget target, OutputOptions output) : IMessagesAdapter
{
    public async Task<Message> CreateMessageAsync(CreateMessageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(request);
        hub.Stream = false;
        var response = await target.SendAsync(hub, context, cancellationToken).ConfigureAwait(false);
        return MessagesCodec.Instance.EncodeResponse(response, hub);
    }

    public IAsyncEnumerable<MessageStreamEvent> CreateMessageStreamAsync(CreateMessageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(request);
        hub.Stream = true;
        var encoder = MessagesCodec.Instance.CreateStreamEncoder(hub);
        return HubStreams.EncodeAsync(target.StreamAsync(hub, context, cancellationToken), encoder, cancellationToken);
    }

    public Task<CountTokensResponse> CountTokensAsync(CountTokensRequest request, AdapterContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new CountTokensResponse { InputTokens = MessagesTokenEstimate.Count(request) });

    private HubRequest Decode(CreateMessageRequest request)
    {
        var hub = MessagesCodec.Instance.DecodeRequest(request);
        hub.Output = output;
        return hub;
    }
}
