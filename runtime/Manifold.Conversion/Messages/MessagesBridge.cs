using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>
/// Serves Anthropic Messages clients from a platform that speaks another protocol: the client's request is
/// decoded to the hub, the target answers, and the answer is encoded back. Decoding and the encoder are made
/// before the target is called, so a 400 comes before anything goes upstream and never mid-stream.
/// Tokens are counted by the platform's own counter when it has one (Gemini's countTokens, OpenAI's input_tokens), else
/// estimated (see <see cref="MessagesTokenEstimate"/>).
/// </summary>
internal sealed class MessagesBridge(IHubTarget target, IHubTokenCounter? counter, OutputOptions output) : IMessagesAdapter
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

    public async Task<CountTokensResponse> CountTokensAsync(CountTokensRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        // Without a counter the estimate reads the request as sent: no conversion, so nothing it holds is refused.
        var tokens = counter is null
            ? MessagesTokenEstimate.Count(request)
            : await TokenCounting.CountAsync(counter, MessagesCodec.Instance.DecodeCountRequest(request), context, cancellationToken).ConfigureAwait(false);
        return new CountTokensResponse { InputTokens = tokens };
    }

    private HubRequest Decode(CreateMessageRequest request)
    {
        var hub = MessagesCodec.Instance.DecodeRequest(request);
        hub.Output = output;
        return hub;
    }
}
