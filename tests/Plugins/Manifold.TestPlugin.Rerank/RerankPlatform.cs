using System.Net.Http.Headers;
using Manifold.Contracts;
using Manifold.Contracts.Upstream;

namespace Manifold.TestPlugin.Rerank;

/// <summary>
/// A reranker upstream with the API of specs/rerank.yaml (Jina AI's, by default at <c>https://api.jina.ai/v1</c>): the
/// request is relayed as the client sent it, with the account's key, and the answer is read back into the generated DTO.
/// </summary>
internal sealed class RerankPlatform : IPlatform, IRerankAdapter
{
    private readonly UpstreamClient _upstream;
    private readonly Uri _baseUrl;

    public RerankPlatform(PlatformSettings settings, PlatformServices services)
    {
        Name = settings.Name;
        _baseUrl = settings.BaseUrl ?? new Uri("https://api.jina.ai/v1");
        _upstream = new UpstreamClient(
            services.Http,
            settings.Name,
            static (request, account) => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Key),
            (response, account, cancellationToken) => RerankErrors.FromResponseAsync(response, settings.Name, account, cancellationToken),
            requestIdHeader: "x-request-id");
    }

    public string Name { get; }

    public IReadOnlyList<string> DefaultModels { get; } = ["jina-reranker-*"];

    public async Task<RerankResponse> RerankAsync(RerankRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await _upstream.SendAsync(
            HttpMethod.Post, UpstreamUri.Join(_baseUrl, "rerank"), UpstreamClient.JsonBody(request), UpstreamClient.Json, context, cancellationToken);
        return await _upstream.ReadJsonAsync<RerankResponse>(response, cancellationToken);
    }
}
