using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Chat;

/// <summary>
/// Serves Chat Completions clients from a platform that speaks another protocol: the client's request is
/// decoded to the hub, the target answers, and the answer is encoded back. Decoding and the encoder are made
/// before the target is called, so a 400 comes before anything goes upstream and never mid-stream.
/// </summary>
internal sealed class ChatBridge(IHubTarget target, OutputOptions output) : IChatCompletionsAdapter
{
    public async Task<CreateChatCompletionResponse> CreateChatCompletionAsync(
        CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(request);
        hub.Stream = false;
        var response = await target.SendAsync(hub, context, cancellationToken).ConfigureAwait(false);
        return ChatCodec.Instance.EncodeResponse(response, hub);
    }

    public IAsyncEnumerable<CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(
        CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(request);
        hub.Stream = true;
        var encoder = ChatCodec.Instance.CreateStreamEncoder(hub);
        return HubStreams.EncodeAsync(target.StreamAsync(hub, context, cancellationToken), encoder, cancellationToken);
    }

    private HubRequest Decode(CreateChatCompletionRequest request)
    {
        var hub = ChatCodec.Instance.DecodeRequest(request);
        hub.Output = output;
        return hub;
    }
}
