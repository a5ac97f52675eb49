using Manifold.Contracts.Gemini;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.Gemini;

/// <summary>The Gemini API's addresses under an operator's base URL.</summary>
internal sealed class GeminiEndpoints
{
    /// <summary>The API version Manifold's DTOs follow; every feature Manifold models (thinking, JSON Schema fields) is there.</summary>
    public const string Version = "v1beta";

    private readonly Uri _versioned;

    public GeminiEndpoints(Uri baseUrl)
    {
        // Operators copy base URLs from SDK settings (no version) or from curl examples (with /v1beta or /v1): both work.
        var path = baseUrl.AbsolutePath.TrimEnd('/');
        var versioned = path.EndsWith("/" + Version, StringComparison.OrdinalIgnoreCase)
            || path.EndsWith("/v1", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith("/v1alpha", StringComparison.OrdinalIgnoreCase);
        _versioned = versioned ? baseUrl : UpstreamUri.Join(baseUrl, Version);
        Models = UpstreamUri.Join(_versioned, "models");
    }

    public Uri Models { get; }

    public Uri GenerateContent(string model) => Method(model, "generateContent", null);

    public Uri CountTokens(string model) => Method(model, "countTokens", null);

    /// <summary>Streaming as server-sent events; without <c>alt=sse</c> the API answers one JSON array.</summary>
    public Uri StreamGenerateContent(string model) => Method(model, "streamGenerateContent", "alt=sse");

    /// <summary>Starts a long-running generation (Veo): answers an operation, <c>{"name": "models/{model}/operations/{id}"}</c>.</summary>
    public Uri PredictLongRunning(string model) => Method(model, "predictLongRunning", null);

    /// <summary>
    /// A long-running operation by its resource name (<c>models/{model}/operations/{id}</c>), under the version: each segment
    /// escaped, the slashes between them kept, as Google's SDKs poll it.
    /// </summary>
    public Uri Operation(IEnumerable<string> nameSegments) =>
        UpstreamUri.Join(_versioned, string.Join('/', nameSegments.Select(Uri.EscapeDataString)));

    public Uri Model(string model) => UpstreamUri.Join(_versioned, "models/" + Uri.EscapeDataString(GeminiModelResources.IdOf(model)));

    public Uri ModelsPage(int pageSize, string? pageToken)
    {
        var query = $"pageSize={pageSize}" + (pageToken is null ? string.Empty : "&pageToken=" + Uri.EscapeDataString(pageToken));
        return WithQuery(Models, query);
    }

    private Uri Method(string model, string method, string? query)
    {
        // The model as the URL names it: without the resource prefix, escaped (a model name never holds '/').
        var uri = UpstreamUri.Join(_versioned, "models/" + Uri.EscapeDataString(GeminiModelResources.IdOf(model)) + ":" + method);
        return query is null ? uri : WithQuery(uri, query);
    }

    // The base URL's own query (a proxy's token) survives; ours is appended to it.
    private static Uri WithQuery(Uri uri, string query) =>
        new(uri.GetLeftPart(UriPartial.Path) + (uri.Query.Length > 1 ? uri.Query + "&" : "?") + query);
}
