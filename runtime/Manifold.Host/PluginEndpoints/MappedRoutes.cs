using System.Text;

namespace Manifold.Host.PluginEndpoints;

/// <summary>
/// The routes and endpoint names already mapped, so that a plugin's operation that would share one is refused at startup.
/// Two routes clash when ASP.NET Core could not tell them apart: the same method (or one that takes any) and the same
/// pattern, literals compared ignoring case and parameters whatever their names. Left alone, such a pair answers every
/// request with an ambiguous-match 500, and two equal endpoint names break the OpenAPI document.
/// </summary>
internal sealed class MappedRoutes
{
    private const string AnyMethod = "*";

    private readonly Dictionary<string, string> _routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _names = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every route endpoint of <paramref name="endpoints"/>' data sources, owned by "the gateway".</summary>
    public static MappedRoutes Of(IEndpointRouteBuilder endpoints)
    {
        var mapped = new MappedRoutes();
        foreach (var endpoint in endpoints.DataSources.SelectMany(static source => source.Endpoints).OfType<RouteEndpoint>())
        {
            var owner = $"the gateway's {endpoint.DisplayName ?? endpoint.RoutePattern.RawText}";
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            foreach (var method in methods is { Count: > 0 } ? methods : [AnyMethod])
            {
                mapped._routes.TryAdd(Key(method, endpoint.RoutePattern.RawText ?? string.Empty), owner);
            }
            if (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>() is { } name)
            {
                mapped._names.TryAdd(name.EndpointName, owner);
            }
        }
        return mapped;
    }

    /// <summary>Who already serves <paramref name="method"/> <paramref name="pattern"/>; null when nobody does.</summary>
    public string? RouteOwner(string method, string pattern) =>
        _routes.GetValueOrDefault(Key(method, pattern)) ?? _routes.GetValueOrDefault(Key(AnyMethod, pattern));

    /// <summary>Who already has the endpoint name <paramref name="name"/>; null when nobody does.</summary>
    public string? NameOwner(string name) => _names.GetValueOrDefault(name);

    public void AddRoute(string method, string pattern, string owner) => _routes.TryAdd(Key(method, pattern), owner);

    public void AddName(string name, string owner) => _names.TryAdd(name, owner);

    /// <summary>
    /// <c>POST v1/things/{}</c> for <c>POST /v1/Things/{id}/</c>: literals lower case, parameter names and constraints
    /// dropped, catch-all markers (<c>{*…}</c>, <c>{**…}</c>) kept, since they match differently, and no slashes around
    /// (routing ignores a trailing one).
    /// </summary>
    internal static string Key(string method, string pattern)
    {
        var key = new StringBuilder(method.Length + pattern.Length + 1).Append(method.ToUpperInvariant()).Append(' ');
        var inParameter = false;
        foreach (var c in pattern.AsSpan().Trim('/'))
        {
            if (c == '{')
            {
                inParameter = true;
                key.Append(c);
            }
            else if (c == '}')
            {
                inParameter = false;
                key.Append(c);
            }
            else if (!inParameter)
            {
                key.Append(char.ToLowerInvariant(c));
            }
            else if (c == '*' && key[^1] is '{' or '*')
            {
                key.Append(c);
            }
        }
        return key.ToString();
    }
}
