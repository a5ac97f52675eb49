using Manifold.Host.Platforms;

namespace Manifold.Host.Metrics;

/// <summary>
/// The platform a request was routed to, kept on the request's features once the gateway has chosen it, so that the
/// request's metrics (written after the handler) name it. Only a configured platform is ever set: a path's unvalidated
/// <c>{platform}</c> never becomes a label value, or any client could mint series.
/// </summary>
public static class RequestPlatform
{
    /// <summary>Records <paramref name="entry"/> as the request's platform (a feature set: no allocation per request on Kestrel).</summary>
    public static void Set(HttpContext http, PlatformEntry entry) => http.Features.Set(entry);

    /// <summary>The request's platform name; empty when none was chosen (refused before routing, unknown model, a fan-out).</summary>
    public static string NameOf(HttpContext http) => http.Features.Get<PlatformEntry>()?.Name ?? string.Empty;
}
