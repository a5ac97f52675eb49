using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.Gemini;

/// <summary>
/// How every platform of this plugin (<c>gemini</c>, <c>veo</c>) reaches Google's Gemini API: the account's key as
/// <c>x-goog-api-key</c>, as Google's SDKs send it, and Google's error bodies read by <see cref="GeminiErrors"/>.
/// </summary>
internal static class GeminiUpstream
{
    /// <summary>The Gemini API's host; as in Google's SDKs, the base URL has no version.</summary>
    public static Uri DefaultBaseUrl { get; } = new("https://generativelanguage.googleapis.com");

    public const string KeyHeader = "x-goog-api-key";

    public static UpstreamClient Create(HttpClient http, string platform) => new(http, platform,
        static (request, account) => request.Headers.TryAddWithoutValidation(KeyHeader, account.Key),
        (response, account, cancellationToken) => GeminiErrors.FromResponseAsync(response, platform, account, cancellationToken));
}
