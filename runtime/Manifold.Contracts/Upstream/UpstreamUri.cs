namespace Manifold.Contracts.Upstream;

/// <summary>Builds upstream addresses from an operator's base URL.</summary>
public static class UpstreamUri
{
    /// <summary>
    /// Appends <paramref name="path"/> to the base URL's path, with or without a trailing slash on the base.
    /// <see cref="Uri(Uri, string)"/> would drop the base's last segment when it has no trailing slash
    /// (<c>https://api.openai.com/v1</c> + <c>models</c> gives <c>/models</c>), so the join is done by hand.
    /// The base's query survives, for services that version by query string (<c>?api-version=...</c>).
    /// </summary>
    public static Uri Join(Uri baseUrl, string path) =>
        new(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + path + baseUrl.Query);
}
