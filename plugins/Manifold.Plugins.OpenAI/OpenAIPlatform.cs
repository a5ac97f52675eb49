using System.Runtime.CompilerServices;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// OpenAI's own API: everything an OpenAI-compatible service serves, plus the Responses API
/// (<c>POST {base}/responses</c>) and its token counter (<c>POST {base}/responses/input_tokens</c>), which compatible
/// services such as DeepSeek do not have.
/// </summary>
internal sealed partial class OpenAIPlatform : OpenAICompatiblePlatform, IResponsesAdapter
{
    private readonly Uri _responses;
    private readonly Uri _inputTokens;

    public OpenAIPlatform(PlatformSettings settings, Uri baseUrl, IReadOnlyList<string> defaultModels, HttpClient http)
        : base(settings, baseUrl, defaultModels, http)
    {
        _responses = UpstreamUri.Join(baseUrl, "responses");
        _inputTokens = UpstreamUri.Join(baseUrl, "responses/input_tokens");
    }

    public async Task<InputTokensResponse> CountInputTokensAsync(InputTokensRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await Upstream.SendAsync(HttpMethod.Post, _inputTokens, UpstreamClient.JsonBody(request), Json, context, cancellationToken).ConfigureAwait(false);
        return await Upstream.ReadJsonAsync<InputTokensResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Response> CreateResponseAsync(CreateResponseRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await Upstream.SendAsync(HttpMethod.Post, _responses, UpstreamClient.JsonBody(request), Json, context, cancellationToken).ConfigureAwait(false);
        return await Upstream.ReadJsonAsync<Response>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The named events of a Responses stream. The stream has no <c>[DONE]</c>: it is over with response.completed,
    /// response.incomplete or response.failed. A failure after the 200 (an <c>error</c> event, or response.failed)
    /// becomes an <see cref="UpstreamException"/>, so the host answers it in the caller's protocol: as an error
    /// status while nothing has been relayed, as the protocol's error event after that.
    /// </summary>
    public async IAsyncEnumerable<ResponseStreamEvent> CreateResponseStreamAsync(
        CreateResponseRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await Upstream.SendAsync(HttpMethod.Post, _responses, UpstreamClient.JsonBody(request), EventStream, context, cancellationToken).ConfigureAwait(false);
        // OpenAI sends no [DONE] here, but a proxy that adds one ends the stream rather than breaking it.
        await using var events = new UpstreamEventStream(response, Name, cancellationToken, doneMarker: "[DONE]");
        while (await events.NextEventAsync().ConfigureAwait(false) is { } sse)
        {
            var streamEvent = JsonSerializer.Deserialize<ResponseStreamEvent>(sse.Data, ManifoldJson.Options)
                ?? throw new JsonException("A stream event held null instead of an event object.");
            // Every Responses event names its type; one without (a proxy's {"error":...}, a bare message) is a failure in
            // another shape, never an event to relay.
            if (streamEvent.Type == "error" || sse.Event == "error" || string.IsNullOrEmpty(streamEvent.Type))
            {
                throw StreamError(streamEvent, context.Account);
            }
            if (streamEvent.Type == "response.failed")
            {
                var error = streamEvent.Response?.Error;
                throw OpenAIErrors.FromResponsesFailure(error?.Code, error?.Message, null, Name, context.Account);
            }
            yield return streamEvent;
            if (streamEvent.Type is "response.completed" or "response.incomplete")
            {
                // The answer is whole; a connection the upstream keeps open a moment longer is not waited for.
                yield break;
            }
        }
        // The body (or a proxy's [DONE]) ended before response.completed, .incomplete or .failed: the answer was cut short.
        throw UpstreamException.Truncated(Name, "response.completed");
    }

    /// <summary>The API puts code, message and param on the event itself; some proxies nest OpenAI's error object under <c>error</c>.</summary>
    private UpstreamException StreamError(ResponseStreamEvent streamEvent, UpstreamAccount? account) =>
        streamEvent.AdditionalProperties?.TryGetValue("error", out var nested) == true && nested.ValueKind is JsonValueKind.Object or JsonValueKind.String
            ? OpenAIErrors.FromStreamError(nested, Name, account)
            : OpenAIErrors.FromResponsesFailure(streamEvent.Code, streamEvent.Message, streamEvent.Param, Name, account);
}
