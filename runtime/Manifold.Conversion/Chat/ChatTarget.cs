using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Chat;

/// <summary>
/// A platform that speaks Chat Completions (OpenAI, or any compatible service), seen in hub terms. Encoding
/// happens before the call, so a request the platform cannot express is a 400 before anything goes upstream.
/// </summary>
internal sealed class ChatTarget(IChatCompletionsAdapter adapter) : IHubTarget
{
    public string Protocol => ChatCodec.DisplayName;

    public async Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var chat = ChatCodec.Instance.EncodeRequest(request);
        chat.Stream = null;
        chat.StreamOptions = null;
        var response = await adapter.CreateChatCompletionAsync(chat, context, cancellationToken).ConfigureAwait(false);
        return ChatCodec.Instance.DecodeResponse(response);
    }

    public IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var chat = ChatCodec.Instance.EncodeRequest(request);
        chat.Stream = true;
        // Usage is always asked for, whether or not this caller's protocol reports it: the decoder needs it
        // for the hub's final event, and the caller's encoder decides what to show.
        chat.StreamOptions = new ChatCompletionStreamOptions { IncludeUsage = true };
        var decoder = ChatCodec.Instance.CreateStreamDecoder(request);
        return HubStreams.DecodeAsync(adapter.CreateChatCompletionStreamAsync(chat, context, cancellationToken), decoder, cancellationToken);
    }
}
