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
internal sealed class GeminiPlatform : IPlatform, IGenerateContentAdapter, OpenAIModels.IModelsAdapter
{
    private const string Json = UpstreamClient.Json;
    private const string EventStream = UpstreamClient.EventStream;

    // The most models one list page may hold; more pages are followed up to a bound, against a misbehaving upstream.
    private const int ModelsPageSize = 1000;
    private const int MaxModelPages = 10;

    private readonly UpstreamClient _upstream;
    private readonly GeminiEndpoints _endpoints;
    private readonly UpstreamModels _configuredModels;

    public GeminiPlatform(PlatformSettings settings, Uri baseUrl, IReadOnlyList<string> defaultModels, HttpClient http)
    {
        Name = settings.Name;
        DefaultModels = defaultModels;
        _upstream = new UpstreamClient(http, Name,
            static (request, account) => request.Headers.TryAddWithoutValidation("x-goog-api-key", account.Key),
            (response, account, cancellationToken) => GeminiErrors.FromResponseAsync(response, Name, account, cancellationToken));
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
        while (await events.NextAsync().ConfigureAwait(false) is { } data)
        {
            var chunk = JsonSerializer.Deserialize<GenerateContentResponse>(data, ManifoldJson.Options)
                ?? throw new JsonException("A stream event held null instead of a GenerateContentResponse.");
            // A failure after the 200 arrives as one more event holding the usual {"error": {...}} object.
            if (chunk.AdditionalProperties?.TryGetValue("error", out var error) == true && error.ValueKind == JsonValueKind.Object)
            {
                throw GeminiErrors.FromStreamError(error, Name, context.Account);
            }
            yield return chunk;
        }
    }

    public async Task<OpenAIModels.ListModelsResponse> ListModelsAsync(AdapterContext context, CancellationToken cancellationToken)
    {
        // An operator who listed every model by name has said what this platform serves: the upstream is not asked.
        if (_configuredModels.AllExact)
        {
            return new OpenAIModels.ListModelsResponse { Data = [.. _configuredModels.ExactNames.Select(ConfiguredModel)] };
        }
        var models = new List<OpenAIModels.Model>();
        string? pageToken = null;
        for (var page = 0; page < MaxModelPages; page++)
        {
            using var response = await _upstream.SendAsync(HttpMethod.Get, _endpoints.ModelsPage(ModelsPageSize, pageToken), null, Json, context, cancellationToken).ConfigureAwait(false);
            using var list = await _upstream.ReadJsonAsync<JsonDocument>(response, cancellationToken).ConfigureAwait(false);
            foreach (var model in GeminiModelList.Read(list.RootElement))
            {
                // Only what this platform can serve (generateContent), and with model patterns configured, only what the root routes send here.
                if (model.GeneratesContent && _configuredModels.Serves(model.Id))
                {
                    models.Add(ToOpenAI(model.Id));
                }
            }
            pageToken = GeminiModelList.NextPageToken(list.RootElement);
            if (pageToken is null)
            {
                break;
            }
        }
        return new OpenAIModels.ListModelsResponse { Data = models };
    }

    public async Task<OpenAIModels.Model> RetrieveModelAsync(string model, AdapterContext context, CancellationToken cancellationToken)
    {
        if (_configuredModels.FindExact(model) is { } configured)
        {
            return ConfiguredModel(configured);
        }
        using var response = await _upstream.SendAsync(HttpMethod.Get, _endpoints.Model(model), null, Json, context, cancellationToken).ConfigureAwait(false);
        using var document = await _upstream.ReadJsonAsync<JsonDocument>(response, cancellationToken).ConfigureAwait(false);
        return ToOpenAI(GeminiModelList.IdOf(document.RootElement) ?? model);
    }

    private OpenAIModels.Model ConfiguredModel(string id) => new() { Id = id, Created = 0, OwnedBy = Name };

    // Gemini's model resources have no creation time; the owner is Google, as the API's own OpenAI-compatible list says.
    private static OpenAIModels.Model ToOpenAI(string id) => new() { Id = id, Created = 0, OwnedBy = "google" };
}
