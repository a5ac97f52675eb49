using System.Runtime.CompilerServices;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Contracts.Upstream;
using OpenAIModels = Manifold.Contracts.OpenAI;

namespace Manifold.Plugins.Claude;

/// <summary>
/// A platform that speaks Anthropic's Messages API to its upstream: request DTOs go out as they came in
/// (fields Manifold does not model included), answers and stream events come back typed. Every call sends
/// the account's key as <c>x-api-key</c> and the API version Manifold's DTOs follow.
/// </summary>
internal sealed class ClaudePlatform : IPlatform, IMessagesAdapter, IAnthropicModelsAdapter, OpenAIModels.IModelsAdapter
{
    /// <summary>The API version whose shapes specs/anthropic/messages.yaml describes.</summary>
    public const string ApiVersion = "2023-06-01";

    private const string Json = UpstreamClient.Json;
    private const string EventStream = UpstreamClient.EventStream;

    private readonly UpstreamClient _upstream;
    private readonly Uri _baseUrl;
    private readonly Uri _messages;
    private readonly Uri _countTokens;
    private readonly Uri _models;
    private readonly UpstreamModels _configuredModels;

    public ClaudePlatform(PlatformSettings settings, Uri baseUrl, IReadOnlyList<string> defaultModels, HttpClient http)
    {
        Name = settings.Name;
        DefaultModels = defaultModels;
        _upstream = new UpstreamClient(http, Name,
            static (request, account) => request.Headers.TryAddWithoutValidation("x-api-key", account.Key),
            (response, account, cancellationToken) => ClaudeErrors.FromResponseAsync(response, Name, account, cancellationToken),
            requestIdHeader: "request-id");
        _baseUrl = baseUrl;
        _messages = UpstreamUri.Join(baseUrl, "v1/messages");
        _countTokens = UpstreamUri.Join(baseUrl, "v1/messages/count_tokens");
        _models = UpstreamUri.Join(baseUrl, "v1/models");
        _configuredModels = new UpstreamModels(settings.Models);
    }

    public string Name { get; }

    public IReadOnlyList<string> DefaultModels { get; }

    public async Task<Message> CreateMessageAsync(CreateMessageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await _upstream.SendAsync(HttpMethod.Post, _messages, UpstreamClient.JsonBody(request), Json, context, cancellationToken, Versioned).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<Message>(response, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<MessageStreamEvent> CreateMessageStreamAsync(
        CreateMessageRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // This method answers with events, whatever the body said: the API streams only when asked.
        request.Stream = true;
        // Disposed with the enumerator, however it ends: that releases (or aborts) the upstream connection.
        using var response = await _upstream.SendAsync(HttpMethod.Post, _messages, UpstreamClient.JsonBody(request), EventStream, context, cancellationToken, Versioned).ConfigureAwait(false);
        // Anthropic has no end marker: message_stop is the last event and the body ends after it.
        await using var events = new UpstreamEventStream(response, Name, cancellationToken, doneMarker: null);
        while (await events.NextEventAsync().ConfigureAwait(false) is { } sse)
        {
            var streamEvent = JsonSerializer.Deserialize<MessageStreamEvent>(sse.Data, ManifoldJson.Options)
                ?? throw new JsonException("A stream event held null instead of an event object.");
            // A failure after the 200 (overloaded at a busy time) arrives as `event: error` holding the usual error body. Every
            // event names its type: one without (a proxy's {"error":...}, a bare message) is a failure too, never relayed.
            if (sse.Event == "error" || streamEvent.Type == "error" || string.IsNullOrEmpty(streamEvent.Type))
            {
                throw ClaudeErrors.FromStreamError(streamEvent.Error?.Type, streamEvent.Error?.Message ?? Message(streamEvent), Name, context.Account);
            }
            // Pings pass through: they keep the caller's connection alive through idle proxies, as they do ours.
            yield return streamEvent;
            if (streamEvent.Type == "message_stop")
            {
                yield break;
            }
        }
        // The body ended before message_stop: the answer was cut short, and relaying it as a finish would invent one.
        throw UpstreamException.Truncated(Name, "message_stop");
    }

    /// <summary>The text of an error in no known shape: a bare <c>message</c>, else none (the exception says the stream failed).</summary>
    private static string? Message(MessageStreamEvent streamEvent) =>
        streamEvent.AdditionalProperties?.TryGetValue("message", out var text) == true && text.ValueKind == JsonValueKind.String ? text.GetString() : null;

    public async Task<CountTokensResponse> CountTokensAsync(CountTokensRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await _upstream.SendAsync(HttpMethod.Post, _countTokens, UpstreamClient.JsonBody(request), Json, context, cancellationToken, Versioned).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<CountTokensResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Anthropic's models as Anthropic describes them (display names, release dates), for Anthropic clients; the host pages the list.</summary>
    public async Task<ListModelsResponse> ListAnthropicModelsAsync(AdapterContext context, CancellationToken cancellationToken) =>
        new() { Data = await ServedModelsAsync(context, cancellationToken).ConfigureAwait(false) };

    public async Task<ModelInfo> GetAnthropicModelAsync(string modelId, AdapterContext context, CancellationToken cancellationToken)
    {
        if (_configuredModels.FindExact(modelId) is { } configured)
        {
            return AnthropicModelInfos.Describe(configured, 0);
        }
        var uri = UpstreamUri.Join(_baseUrl, "v1/models/" + Uri.EscapeDataString(modelId));
        using var response = await _upstream.SendAsync(HttpMethod.Get, uri, null, Json, context, cancellationToken, Versioned).ConfigureAwait(false);
        var model = await _upstream.ReadJsonAsync<ModelInfo>(response, cancellationToken).ConfigureAwait(false);
        return model.Id is { Length: > 0 } ? AnthropicModelInfos.Complete(model) : throw new JsonException("The model answer has no id.");
    }

    /// <summary>The same models in OpenAI's shape (what <c>GET /v1/models</c> serves OpenAI clients).</summary>
    public async Task<OpenAIModels.ListModelsResponse> ListModelsAsync(AdapterContext context, CancellationToken cancellationToken) =>
        _configuredModels.ListedByOperator(Name)
        ?? new OpenAIModels.ListModelsResponse { Data = [.. (await ServedModelsAsync(context, cancellationToken).ConfigureAwait(false)).Select(ToOpenAI)] };

    public async Task<OpenAIModels.Model> RetrieveModelAsync(string model, AdapterContext context, CancellationToken cancellationToken) =>
        _configuredModels.DescribeListed(model, Name) ?? ToOpenAI(await GetAnthropicModelAsync(model, context, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The models this platform serves: the configured names when the operator listed every one (the upstream is not
    /// asked), else every page of the upstream's list that the configured patterns route here.
    /// </summary>
    private async Task<List<ModelInfo>> ServedModelsAsync(AdapterContext context, CancellationToken cancellationToken)
    {
        if (_configuredModels.ListedByOperator(static id => AnthropicModelInfos.Describe(id, 0)) is { } listed)
        {
            return listed;
        }
        var models = await ModelPages.ReadAllAsync<ModelInfo?>(async afterId =>
        {
            var query = $"limit={ModelPages.PageSize}" + (afterId is null ? string.Empty : "&after_id=" + Uri.EscapeDataString(afterId));
            var uri = new Uri(_models.AbsoluteUri + (_models.Query.Length == 0 ? "?" : "&") + query);
            using var response = await _upstream.SendAsync(HttpMethod.Get, uri, null, Json, context, cancellationToken, Versioned).ConfigureAwait(false);
            var list = await _upstream.ReadJsonAsync<ListModelsResponse>(response, cancellationToken).ConfigureAwait(false);
            return new(list.Data, list.HasMore ? list.LastId : null);
        }).ConfigureAwait(false);
        // A model without an id (the API always gives one) could not be asked for; it is left out.
        return [.. models.Where(m => m?.Id is { Length: > 0 } id && _configuredModels.Serves(id)).Select(static m => AnthropicModelInfos.Complete(m!))];
    }

    /// <summary>Every request names the API version its body follows; Anthropic rejects requests without one.</summary>
    private static void Versioned(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);

    /// <summary>Anthropic's <c>{type: model, id, display_name, created_at (RFC 3339)}</c> as an OpenAI model object.</summary>
    private static OpenAIModels.Model ToOpenAI(ModelInfo info) =>
        new() { Id = info.Id, Created = AnthropicModelInfos.UnixSeconds(info.CreatedAt), OwnedBy = "anthropic" };
}
