using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// Serves Gemini clients from a platform that speaks another protocol, through the hub. countTokens is answered by the
/// platform's own counter when it has one (Anthropic's count_tokens, OpenAI's input_tokens), else estimated.
/// </summary>
public sealed class GeminiBridge(IHubTarget target, IHubTokenCounter? counter, OutputOptions output) : IGenerateContentAdapter
{
    public async Task<GenerateContentResponse> GenerateContentAsync(
        string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(model, request, stream: false);
        var response = await target.SendAsync(hub, context, cancellationToken).ConfigureAwait(false);
        return GeminiCodec.Instance.EncodeResponse(response, hub);
    }

    public IAsyncEnumerable<GenerateContentResponse> StreamGenerateContentAsync(
        string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        // Decoded and encoder built before the platform is called: a request that cannot convert fails before anything is sent.
        var hub = Decode(model, request, stream: true);
        var encoder = GeminiCodec.Instance.CreateStreamEncoder(hub);
        return HubStreams.EncodeAsync(target.StreamAsync(hub, context, cancellationToken), encoder, cancellationToken);
    }

    public async Task<CountTokensResponse> CountGeminiTokensAsync(
        string model, CountTokensRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        GeminiFields.RejectUnknown(request.AdditionalProperties, string.Empty);
        // Google counts generateContentRequest when it is there and ignores contents then; one of them must be.
        var whole = request.GenerateContentRequest
            ?? (request.Contents is { Count: > 0 } contents ? new GenerateContentRequest { Contents = contents }
                : throw new ConversionException("contents", "'contents' or 'generateContentRequest' is required: there is nothing to count."));
        var hub = GeminiCodec.Instance.DecodeRequest(whole, model);
        var tokens = await TokenCounting.CountAsync(counter, hub, context, cancellationToken).ConfigureAwait(false);
        return new CountTokensResponse { TotalTokens = tokens };
    }

    private HubRequest Decode(string model, GenerateContentRequest request, bool stream)
    {
        var hub = GeminiCodec.Instance.DecodeRequest(request, model);
        hub.Stream = stream;
        hub.Output = output;
        return hub;
    }
}
