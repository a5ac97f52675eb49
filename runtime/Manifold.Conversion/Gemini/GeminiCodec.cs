using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// The Gemini API (<c>generateContent</c> / <c>streamGenerateContent</c>) to and from the hub. The request body
/// names no model: decoding takes it from the URL (<c>pathModel</c>), and the caller of
/// <see cref="EncodeRequest"/> puts <see cref="HubRequest.Model"/> in the URL.
/// </summary>
public sealed class GeminiCodec : ProtocolCodec<GenerateContentRequest, GenerateContentResponse, GenerateContentResponse>
{
    public static GeminiCodec Instance { get; } = new();

    private GeminiCodec()
    {
    }

    public override string Name => "gemini";

    public override HubRequest DecodeRequest(GenerateContentRequest request, string? pathModel = null) =>
        GeminiRequestDecoder.Decode(request, pathModel);

    public override GenerateContentRequest EncodeRequest(HubRequest request) => GeminiRequestEncoder.Encode(request);

    public override HubResponse DecodeResponse(GenerateContentResponse response) => GeminiResponseDecoder.Decode(response);

    public override GenerateContentResponse EncodeResponse(HubResponse response, HubRequest request) =>
        GeminiResponseEncoder.Encode(response, request);

    public override IStreamDecoder<GenerateContentResponse> CreateStreamDecoder(HubRequest request) => new GeminiStreamDecoder(request);

    public override IStreamEncoder<GenerateContentResponse> CreateStreamEncoder(HubRequest request) => new GeminiStreamEncoder(request);
}
