using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Pipeline;

/// <summary>
/// One protocol's converters, typed over its generated DTOs: pure functions between the DTOs and the hub,
/// and factories for the stateful stream converters. A protocol is both a source (a client speaks it) and
/// a target (a platform speaks it), so every codec converts in both directions.
/// </summary>
public abstract class ProtocolCodec<TRequest, TResponse, TChunk> : IProtocolCodec
    where TRequest : class
    where TResponse : class
    where TChunk : class
{
    public abstract string Name { get; }

    public Type RequestType => typeof(TRequest);

    public Type ResponseType => typeof(TResponse);

    public Type ChunkType => typeof(TChunk);

    /// <summary>
    /// A client's request, in hub terms. <paramref name="pathModel"/> is the model named in the URL, for
    /// protocols that put it there (Gemini); the others read it from the body and ignore it.
    /// Throws <see cref="ConversionException"/> for what the hub cannot hold.
    /// </summary>
    public abstract HubRequest DecodeRequest(TRequest request, string? pathModel = null);

    /// <summary>
    /// The request to send a platform of this protocol. Throws <see cref="ConversionException"/>, naming the
    /// field, for anything this protocol cannot express. The model travels in <see cref="HubRequest.Model"/>
    /// (for Gemini the caller puts it in the URL).
    /// </summary>
    public abstract TRequest EncodeRequest(HubRequest request);

    /// <summary>A platform's complete answer, in hub terms.</summary>
    public abstract HubResponse DecodeResponse(TResponse response);

    /// <summary>The complete answer to send a client, honouring <see cref="HubRequest.Output"/>.</summary>
    public abstract TResponse EncodeResponse(HubResponse response, HubRequest request);

    /// <summary>A decoder for one stream a platform of this protocol sends in answer to <paramref name="request"/>.</summary>
    public abstract IStreamDecoder<TChunk> CreateStreamDecoder(HubRequest request);

    /// <summary>An encoder for one stream to a client of this protocol, honouring <see cref="HubRequest.Output"/>.</summary>
    public abstract IStreamEncoder<TChunk> CreateStreamEncoder(HubRequest request);

    HubRequest IProtocolCodec.DecodeRequest(object request, string? pathModel) => DecodeRequest((TRequest)request, pathModel);

    object IProtocolCodec.EncodeRequest(HubRequest request) => EncodeRequest(request);

    HubResponse IProtocolCodec.DecodeResponse(object response) => DecodeResponse((TResponse)response);

    object IProtocolCodec.EncodeResponse(HubResponse response, HubRequest request) => EncodeResponse(response, request);

    List<HubStreamEvent> IProtocolCodec.DecodeStream(IEnumerable<object> chunks, HubRequest request) =>
        HubStreams.Decode(chunks.Cast<TChunk>(), CreateStreamDecoder(request));

    List<object> IProtocolCodec.EncodeStream(IEnumerable<HubStreamEvent> events, HubRequest request) =>
        HubStreams.Encode(events, CreateStreamEncoder(request)).Cast<object>().ToList();
}

/// <summary>The untyped face of a <see cref="ProtocolCodec{TRequest, TResponse, TChunk}"/>, for golden tests that walk every direction.</summary>
public interface IProtocolCodec
{
    string Name { get; }

    Type RequestType { get; }

    Type ResponseType { get; }

    Type ChunkType { get; }

    HubRequest DecodeRequest(object request, string? pathModel = null);

    object EncodeRequest(HubRequest request);

    HubResponse DecodeResponse(object response);

    object EncodeResponse(HubResponse response, HubRequest request);

    List<HubStreamEvent> DecodeStream(IEnumerable<object> chunks, HubRequest request);

    List<object> EncodeStream(IEnumerable<HubStreamEvent> events, HubRequest request);
}
