using System.Net.Http.Headers;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.OpenAI;

/// <summary>How every platform of this plugin reaches an OpenAI-style upstream: a Bearer key, OpenAI's error bodies, <c>x-request-id</c>.</summary>
internal static class OpenAIUpstream
{
    public static UpstreamClient Create(HttpClient http, string platform) => new(http, platform,
        static (request, account) => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Key),
        (response, account, cancellationToken) => OpenAIErrors.FromResponseAsync(response, platform, account, cancellationToken),
        requestIdHeader: "x-request-id");
}
