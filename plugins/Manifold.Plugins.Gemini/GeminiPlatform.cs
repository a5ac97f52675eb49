using System.Runtime.CompilerServices;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Contracts.Upstream;
using OpenAIModels = Manifold.Contracts.OpenAI;

namespace Manifold.Plugins.Gemini;

/// <summary>
/// A platform that speaks the Gemini API to its upstream: request DTOs go out as they came in (fields Manifold does
/// not model included, camelCase whatever the client sent), answers and stream chunks come back typed. Every call
/// sends the account's key as <c>x-goog-api-key</c>, as Google's SDKs do.
/// </summary>
internal sealed partial class GeminiPlatform : IPlatform, IGenerateContentAdapter, IGeminiModelsAdapter, OpenAIModels.IModelsAdapter
{
    private const string Json = UpstreamClient.Json;
    private const string EventStream = UpstreamClient.EventStream;

    private readonly UpstreamClient _upstream;
    private readonly GeminiEndpoints _endpoints;
    private readonly UpstreamModels _configuredModels;

    public GeminiPlatform(PlatformSettings settings, Uri baseUrl, IReadOnlyList<string> defaultModels, HttpClient http)
    {
        Name = settings.Name;
        DefaultModels = defaultModels;
        _upstream = GeminiUpstream.Create(http, Name);
        _endpoints = new GeminiEndpoints(baseUrl);
        _configuredModels = new UpstreamModels(settings.Models);
    }

    public string Name { get; }

    public IReadOnlyList<string> DefaultModels { get; }

    public async Task<GenerateContentResponse> GenerateContentAsync(
        string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await _upstream.SendAsync(
            HttpMethod.Post, _endpoints.GenerateContent(model), UpstreamClient.JsonBody(request), Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<GenerateContentResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<GenerateContentResponse> StreamGenerateContentAsync(
        string model, GenerateContentRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Disposed with the enumerator, however it ends: that releases (or aborts) the upstream connection.
        using var response = await _upstream.SendAsync(
            HttpMethod.Post, _endpoints.StreamGenerateContent(model), UpstreamClient.JsonBody(request), EventStream, context, cancellationToken).ConfigureAwait(false);
        // Gemini has no end marker: the body ends after the chunk with the finish reason.
        await using var events = new UpstreamEventStream(response, Name, cancellationToken, doneMarker: null);
        var finished = false;
        while (await events.NextEventAsync().ConfigureAwait(false) is { } sse)
        {
            var chunk = JsonSerializer.Deserialize<GenerateContentResponse>(sse.Data, ManifoldJson.Options)
                ?? throw new JsonException("A stream event held null instead of a GenerateContentResponse.");
            // A failure after the 200 arrives as one more event holding the usual {"error": {...}} object; a proxy may name
            // the event, or send the error as text. None of them is a chunk.
            if (chunk.AdditionalProperties?.TryGetValue("error", out var error) == true && error.ValueKind is JsonValueKind.Object or JsonValueKind.String)
            {
                throw GeminiErrors.FromStreamError(error, Name, context.Account);
            }
            if (sse.Event == "error")
            {
                throw GeminiErrors.FromStreamError(JsonSerializer.SerializeToElement(chunk.AdditionalProperties ?? [], ManifoldJson.Options), Name, context.Account);
            }
            finished |= chunk.Candidates?.Exists(static c => c?.FinishReason is { Length: > 0 }) == true || chunk.PromptFeedback?.BlockReason is { Length: > 0 };
            yield return chunk;
        }
        // The stream has no end marker: the chunk with a finishReason (or a blocked prompt's blockReason) is the last word,
        // and a body that ends without one was cut short.
        if (!finished)
        {
            throw UpstreamException.Truncated(Name, "a candidate with a finishReason");
        }
    }

    /// <summary>
    /// Google's count for the request. A <c>generateContentRequest</c> must name its model inside too (Google refuses it
    /// otherwise): the model of the URL, which is the one the host resolved (a suffix such as <c>-thinking</c> removed).
    /// </summary>
    public async Task<CountTokensResponse> CountGeminiTokensAsync(string model, CountTokensRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        if (request.GenerateContentRequest is { } whole)
        {
            whole.Model = GeminiModelResources.Name(GeminiModelResources.IdOf(model));
        }
        using var response = await _upstream.SendAsync(
            HttpMethod.Post, _endpoints.CountTokens(model), UpstreamClient.JsonBody(request), Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<CountTokensResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Google's models as Google describes them (display names, token limits), for Gemini clients; the host pages the list.</summary>
    public async Task<ListModelsResponse> ListGeminiModelsAsync(AdapterContext context, CancellationToken cancellationToken) =>
        new() { Models = await ServedModelsAsync(context, cancellationToken).ConfigureAwait(false) };

    public async Task<Model> GetGeminiModelAsync(string model, AdapterContext context, CancellationToken cancellationToken)
    {
        if (_configuredModels.FindExact(GeminiModelResources.IdOf(model)) is { } configured)
        {
            return GeminiModelResources.Describe(configured);
        }
        using var response = await _upstream.SendAsync(HttpMethod.Get, _endpoints.Model(model), null, Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<Model>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same models in OpenAI's shape, for OpenAI clients and the root's merged list.</summary>
    public async Task<OpenAIModels.ListModelsResponse> ListModelsAsync(AdapterContext context, CancellationToken cancellationToken) =>
        _configuredModels.ListedByOperator(Name)
        ?? new OpenAIModels.ListModelsResponse
        {
            Data = [.. (await ServedModelsAsync(context, cancellationToken).ConfigureAwait(false)).Select(static m => ToOpenAI(GeminiModelResources.IdOf(m.Name)))],
        };

    public async Task<OpenAIModels.Model> RetrieveModelAsync(string model, AdapterContext context, CancellationToken cancellationToken)
    {
        if (_configuredModels.DescribeListed(model, Name) is { } configured)
        {
            return configured;
        }
        var found = await GetGeminiModelAsync(model, context, cancellationToken).ConfigureAwait(false);
        return ToOpenAI(found.Name is { Length: > 0 } name ? GeminiModelResources.IdOf(name) : GeminiModelResources.IdOf(model));
    }

    /// <summary>
    /// The models this platform serves: the configured names when the operator listed every one (the upstream is not
    /// asked), else every page of the upstream's list, keeping what generates content and what the configured patterns
    /// route here.
    /// </summary>
    private async Task<List<Model>> ServedModelsAsync(AdapterContext context, CancellationToken cancellationToken)
    {
        if (_configuredModels.ListedByOperator(GeminiModelResources.Describe) is { } listed)
        {
            return listed;
        }
        var models = await ModelPages.ReadAllAsync<Model?>(async pageToken =>
        {
            using var response = await _upstream.SendAsync(HttpMethod.Get, _endpoints.ModelsPage(ModelPages.PageSize, pageToken), null, Json, context, cancellationToken).ConfigureAwait(false);
            var list = await _upstream.ReadJsonAsync<ListModelsResponse>(response, cancellationToken).ConfigureAwait(false);
            return new(list.Models, list.NextPageToken);
        }).ConfigureAwait(false);
        // A model without a name (the API always gives one) could not be asked for; it is left out.
        return [.. models.Where(m => m?.Name is { Length: > 0 } name && GeminiModelList.GeneratesContent(m) && _configuredModels.Serves(GeminiModelResources.IdOf(name))).Select(static m => m!)];
    }

    // Gemini's model resources have no creation time; the owner is Google, as the API's own OpenAI-compatible list says.
    private static OpenAIModels.Model ToOpenAI(string id) => new() { Id = id, Created = 0, OwnedBy = "google" };
}
