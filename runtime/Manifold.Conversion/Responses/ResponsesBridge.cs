using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>
/// Serves Responses clients from a platform that does not speak Responses, through the hub; input_tokens is answered by the
/// platform's own counter when it has one, else estimated.
/// </summary>
internal sealed class ResponsesBridge(IHubTarget target, IHubTokenCounter? counter, OutputOptions output) : IResponsesAdapter
{
    public async Task<Response> CreateResponseAsync(CreateResponseRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(request, stream: false);
        var answer = await target.SendAsync(hub, context, cancellationToken).ConfigureAwait(false);
        return ResponsesCodec.Instance.EncodeResponse(answer, hub);
    }

    /// <summary>Decodes before returning, so a request the platform cannot take fails before the stream starts.</summary>
    public IAsyncEnumerable<ResponseStreamEvent> CreateResponseStreamAsync(CreateResponseRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var hub = Decode(request, stream: true);
        var encoder = ResponsesCodec.Instance.CreateStreamEncoder(hub);
        return HubStreams.EncodeAsync(target.StreamAsync(hub, context, cancellationToken), encoder, cancellationToken);
    }

    public async Task<InputTokensResponse> CountInputTokensAsync(InputTokensRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Model))
        {
            throw new ConversionException("model", $"'model' is required when this request is served by {ResponsesProtocol.Converted}: its count depends on the model.");
        }
        // The body is a create-response body without the generation settings, under the same names: read as one, it is
        // decoded by the same rules (what cannot convert is refused alike, unknown fields included).
        CreateResponseRequest create;
        try
        {
            create = JsonSerializer.SerializeToElement(request, ManifoldJson.Options).Deserialize<CreateResponseRequest>(ManifoldJson.Options)!;
        }
        catch (JsonException ex)
        {
            // An unknown field of the count body that the create body types (stream: "yes"): the caller's 400, not a
            // JSON failure the invoker would take for the platform's.
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "input";
            throw new ConversionException(field, $"Invalid value for '{field}': it does not have the type a response request gives it.");
        }
        var hub = ResponsesCodec.Instance.DecodeRequest(create);
        return new InputTokensResponse { InputTokens = await TokenCounting.CountAsync(counter, hub, context, cancellationToken).ConfigureAwait(false) };
    }

    private HubRequest Decode(CreateResponseRequest request, bool stream)
    {
        var hub = ResponsesCodec.Instance.DecodeRequest(request);
        hub.Stream = stream;
        hub.Output = output;
        return hub;
    }
}
