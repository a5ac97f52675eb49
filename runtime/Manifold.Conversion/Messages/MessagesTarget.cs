using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>
/// A platform that speaks Anthropic Messages (the claude plugin), seen in hub terms. Encoding happens before
/// the call, so a request Anthropic cannot express is a 400 before anything goes upstream.
/// </summary>
internal sealed class MessagesTarget(IMessagesAdapter adapter, TimeProvider? time = null) : IHubTarget
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Protocol => MessagesCodec.DisplayName;

    public async Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var anthropic = MessagesCodec.Instance.EncodeRequest(request);
        anthropic.Stream = null;
        var response = await adapter.CreateMessageAsync(anthropic, context, cancellationToken).ConfigureAwait(false);
        var hub = MessagesCodec.Instance.DecodeResponse(response);
        // Anthropic answers carry no creation time; callers' protocols (OpenAI's) want one.
        hub.Created = _time.GetUtcNow().ToUnixTimeSeconds();
        return hub;
    }

    public IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var anthropic = MessagesCodec.Instance.EncodeRequest(request);
        anthropic.Stream = true;
        var decoder = new MessagesStreamDecoder(request, _time.GetUtcNow().ToUnixTimeSeconds());
        return HubStreams.DecodeAsync(adapter.CreateMessageStreamAsync(anthropic, context, cancellationToken), decoder, cancellationToken);
    }
}
