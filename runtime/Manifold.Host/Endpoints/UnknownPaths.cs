using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Manifold.Host.Endpoints;

/// <summary>
/// The answer to a request no endpoint serves: a 405 with <c>Allow</c> when the path is served with other methods (ASP.NET
/// Core's own 405 has an empty body, and a fallback route hides it behind a 404), else a 404, both in the error shape of the
/// API the path belongs to.
/// </summary>
public static class UnknownPaths
{
    /// <summary>
    /// Every path, whatever its last segment looks like. ASP.NET Core's default fallback pattern, <c>{*path:nonfile}</c>,
    /// skips paths whose last segment has a dot (taken for static files), and such requests got an empty 404: a Gemini
    /// model name has dots (<c>/v1beta/models/gemini-2.5-flash:fooBar</c>). This host serves no files.
    /// </summary>
    public const string Pattern = "{*path}";

    public static Task WriteAsync(HttpContext http)
    {
        var request = http.Request;
        var protocol = WireProtocols.OwnerOf(request.Path);
        if (http.RequestServices.GetRequiredService<RouteMethods>().AllowedFor(request.Path) is { Length: > 0 } allowed)
        {
            var list = string.Join(", ", allowed);
            http.Response.Headers.Allow = list;
            return ProtocolResponses.WriteErrorAsync(http, protocol, new ErrorInfo(StatusCodes.Status405MethodNotAllowed, "invalid_request_error",
                $"{request.Method} is not allowed on {request.Path}; it takes {list}.", Code: "method_not_allowed"));
        }
        return ProtocolResponses.WriteErrorAsync(http, protocol,
            ErrorInfo.NotFound($"Unknown path {request.Method} {request.Path}.", code: "unknown_url"));
    }
}

/// <summary>
/// Which methods the mapped routes take on a path, for the 405's <c>Allow</c>. Built once, on the first request that
/// needs it (every endpoint is mapped by then), from the routes' patterns; only unknown requests pay for a match, never
/// those an endpoint serves. Route constraints are not evaluated: a path that fits a pattern's shape is that route's.
/// </summary>
internal sealed class RouteMethods(EndpointDataSource endpoints)
{
    private (TemplateMatcher Matcher, string[] Methods)[]? _routes;

    public string[]? AllowedFor(PathString path)
    {
        var routes = _routes ??= Build(endpoints);
        SortedSet<string>? allowed = null;
        var values = new RouteValueDictionary();
        foreach (var (matcher, methods) in routes)
        {
            values.Clear();
            if (matcher.TryMatch(path, values) && !SwallowsCustomMethod(values))
            {
                (allowed ??= new SortedSet<string>(StringComparer.Ordinal)).UnionWith(methods);
            }
        }
        return allowed?.ToArray();
    }

    /// <summary>
    /// A parameter that took a <c>:</c> took a Google custom method with it (AIP-136: <c>/v1beta/models/{model}:fooBar</c> is
    /// the unknown method fooBar, not a GET of the model "x:fooBar"): that path is unknown, not served with other methods.
    /// </summary>
    private static bool SwallowsCustomMethod(RouteValueDictionary values)
    {
        foreach (var (_, value) in values)
        {
            if (value is string text && text.Contains(':', StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static (TemplateMatcher, string[])[] Build(EndpointDataSource source)
    {
        var byPattern = new Dictionary<string, (RoutePattern Pattern, HashSet<string> Methods)>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            // Endpoints without methods take every method (the fallback among them): they never make a 405.
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 } metadata)
            {
                continue;
            }
            var pattern = endpoint.RoutePattern;
            var key = pattern.RawText ?? string.Empty;
            if (!byPattern.TryGetValue(key, out var entry))
            {
                byPattern[key] = entry = (pattern, new HashSet<string>(StringComparer.Ordinal));
            }
            entry.Methods.UnionWith(metadata.HttpMethods);
        }
        return byPattern.Values
            .Select(static e => (new TemplateMatcher(new RouteTemplate(e.Pattern), new RouteValueDictionary()), e.Methods.ToArray()))
            .ToArray();
    }
}
