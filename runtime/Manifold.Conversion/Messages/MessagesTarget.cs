using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>
/// A platform that speaks Anthropic Messages (the claude plugin), seen in hub terms. Encoding happens before
/// the call, so a request Anthropic cannot express is a 400 before anything goes upstream.
/// </summary>
internal sealed class MessagesTarget(IMessagesAdapter adapter) : IHubTarget
{
    public string Protocol => MessagesCodec.DisplayName;

    public async Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var anthropic = MessagesCodec.Instance.EncodeRequest(request);
        anthropic.Stream = null;
        var response = await adapter.CreateMessageAsync(anthropic, context, cancellationToken).ConfigureAwait(false);
        return MessagesCodec.Instance.DecodeResponse(response);
    }

    public IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var anthropic = MessagesCodec.Instance.EncodeRequest(request);
        anthropic.Stream = true;
        var decoder = MessagesCodec.Instance.CreateStreamDecoder(request);
        return HubStreams.DecodeAsync(adapter.CreateMessageStreamAsync(anthropic, context, cancellationToken), decoder, cancellationToken);
    }
}
