using Manifold.Host.Protocols;

namespace Manifold.Host.Endpoints;

/// <summary>The answer to a path no endpoint serves: a 404 in the error shape of the API the path belongs to.</summary>
public static class UnknownPaths
{
    /// <summary>
    /// Every path, whatever its last segment looks like. ASP.NET Core's default fallback pattern, <c>{*path:nonfile}</c>,
    /// skips paths whose last segment has a dot (taken for static files), and such requests got an empty 404: a Gemini
    /// model name has dots (<c>/v1beta/models/gemini-2.5-flash:fooBar</c>). This host serves no files.
    /// </summary>
    public const string Pattern = "{*path}";

    public static Task WriteAsync(HttpContext http) =>
        ProtocolResponses.WriteErrorAsync(http, WireProtocols.OwnerOf(http.Request.Path),
            ErrorInfo.NotFound($"Unknown path {http.Request.Method} {http.Request.Path}.", code: "unknown_url"));
}
