using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>OpenAI Responses (<c>POST /v1/responses</c>) to and from the hub, both directions, streaming included.</summary>
public sealed class ResponsesCodec : ProtocolCodec<CreateResponseRequest, Response, ResponseStreamEvent>
{
    public static ResponsesCodec Instance { get; } = new();

    private ResponsesCodec()
    {
    }

    public override string Name => "responses";

    public override HubRequest DecodeRequest(CreateResponseRequest request, string? pathModel = null) => ResponsesRequestDecoder.Decode(request);

    public override CreateResponseRequest EncodeRequest(HubRequest request) => ResponsesRequestEncoder.Encode(request);

    public override HubResponse DecodeResponse(Response response) => ResponsesResponseDecoder.Decode(response);

    public override Response EncodeResponse(HubResponse response, HubRequest request) => ResponsesResponseEncoder.Encode(response, request);

    public override IStreamDecoder<ResponseStreamEvent> CreateStreamDecoder(HubRequest request) => new ResponsesStreamDecoder(request);

    public override IStreamEncoder<ResponseStreamEvent> CreateStreamEncoder(HubRequest request) => new ResponsesStreamEncoder(request);
}
