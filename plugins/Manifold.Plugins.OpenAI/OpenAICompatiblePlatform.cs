using System.Runtime.CompilerServices;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// A platform that speaks OpenAI's Chat Completions and Models API to its upstream, as every OpenAI-compatible
/// service does: request DTOs go out as they came in (fields Manifold does not model included), answers and
/// stream chunks come back typed. <see cref="OpenAIPlatform"/> adds what only OpenAI itself serves.
/// </summary>
internal class OpenAICompatiblePlatform : IPlatform, IChatCompletionsAdapter, IModelsAdapter
{
    protected const string Json = UpstreamClient.Json;
    protected const string EventStream = UpstreamClient.EventStream;

    private readonly UpstreamClient _upstream;
    private readonly Uri _baseUrl;
    private readonly Uri _chatCompletions;
    private readonly Uri _models;
    private readonly UpstreamModels _configuredModels;

    public OpenAICompatiblePlatform(PlatformSettings settings, Uri baseUrl, IReadOnlyList<string> defaultModels, HttpClient http)
    {
        Name = settings.Name;
        DefaultModels = defaultModels;
        _upstream = OpenAIUpstream.Create(http, Name);
        _baseUrl = baseUrl;
        _chatCompletions = UpstreamUri.Join(baseUrl, "chat/completions");
        _models = UpstreamUri.Join(baseUrl, "models");
        _configuredModels = new UpstreamModels(settings.Models);
    }

    public string Name { get; }

    /// <summary>The upstream's base URL, including its version (<c>https://api.openai.com/v1</c>).</summary>
    protected Uri BaseUrl => _baseUrl;

    /// <summary>Sends with the account's Bearer key and reads OpenAI's error bodies.</summary>
    protected UpstreamClient Upstream => _upstream;

    public IReadOnlyList<string> DefaultModels { get; }

    public async Task<CreateChatCompletionResponse> CreateChatCompletionAsync(
        CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await _upstream.SendAsync(HttpMethod.Post, _chatCompletions, UpstreamClient.JsonBody(request), Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<CreateChatCompletionResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(
        CreateChatCompletionRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Disposed with the enumerator, however it ends: that releases (or aborts) the upstream connection.
        using var response = await _upstream.SendAsync(HttpMethod.Post, _chatCompletions, UpstreamClient.JsonBody(request), EventStream, context, cancellationToken).ConfigureAwait(false);
        await using var events = new UpstreamEventStream(response, Name, cancellationToken);
        var finished = false;
        while (await events.NextEventAsync().ConfigureAwait(false) is { } sse)
        {
            var chunk = JsonSerializer.Deserialize<CreateChatCompletionStreamResponse>(sse.Data, ManifoldJson.Options)
                ?? throw new JsonException("A stream event held null instead of a chunk object.");
            // OpenAI reports a failure after the 200 as a data event holding its usual error object; proxies and compatible
            // services send it in other shapes too (a named error event, a bare message), which must not pass as a chunk.
            if (OpenAIStreamErrors.Find(sse.Event, chunk.AdditionalProperties, chunk.Choices is not null || chunk.Usage is not null) is { } error)
            {
                throw OpenAIErrors.FromStreamError(error, Name, context.Account);
            }
            finished |= chunk.Choices?.Exists(static c => c?.FinishReason is { Length: > 0 }) == true;
            yield return chunk;
        }
        // [DONE] ends every OpenAI stream; some compatible services end theirs after the finish_reason without it. A stream
        // with neither was cut short: relaying it as a finish would invent one.
        if (!events.SawDoneMarker && !finished)
        {
            throw UpstreamException.Truncated(Name, "data: [DONE] or a finish_reason");
        }
    }

    public async Task<ListModelsResponse> ListModelsAsync(AdapterContext context, CancellationToken cancellationToken)
    {
        if (_configuredModels.ListedByOperator(Name) is { } listed)
        {
            return listed;
        }
        using var response = await _upstream.SendAsync(HttpMethod.Get, _models, null, Json, context, cancellationToken).ConfigureAwait(false);
        var list = await _upstream.ReadJsonAsync<ListModelsResponse>(response, cancellationToken).ConfigureAwait(false);
        // With model patterns configured, list only what the root routes would send here.
        list.Data = [.. (list.Data ?? []).Where(static m => m is not null).Where(m => _configuredModels.Serves(m.Id))];
        return list;
    }

    public async Task<Model> RetrieveModelAsync(string model, AdapterContext context, CancellationToken cancellationToken)
    {
        if (_configuredModels.DescribeListed(model, Name) is { } configured)
        {
            return configured;
        }
        var uri = UpstreamUri.Join(_baseUrl, "models/" + Uri.EscapeDataString(model));
        using var response = await _upstream.SendAsync(HttpMethod.Get, uri, null, Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<Model>(response, cancellationToken).ConfigureAwait(false);
    }
}
