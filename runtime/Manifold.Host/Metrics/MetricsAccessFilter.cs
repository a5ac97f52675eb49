using System.Security.Cryptography;
using System.Text;
using Manifold.Host.Admin;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Metrics;

/// <summary>
/// Lets a scrape in with <c>Authorization: Bearer</c> and the metrics key or the admin key, or without any credential when
/// <c>Manifold__Metrics__Open</c> is true. Never a licence: metrics describe every client's traffic. Keys are compared as
/// SHA-256 digests in constant time, as the admin API does.
/// </summary>
internal sealed class MetricsAccessFilter : IEndpointFilter
{
    private readonly bool _open;
    private readonly byte[][] _accepted;

    public MetricsAccessFilter(IOptions<MetricsOptions> metrics, IOptions<AdminOptions> admin)
    {
        _open = metrics.Value.Open;
        _accepted = new[] { metrics.Value.Key, admin.Value.Key }
            .Where(static key => !string.IsNullOrWhiteSpace(key))
            .Select(static key => SHA256.HashData(Encoding.UTF8.GetBytes(key!.Trim())))
            .ToArray();
    }

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_open)
        {
            return next(context);
        }
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(context.HttpContext, "Send the metrics key (Manifold__Metrics__Key) or the admin key as 'Authorization: Bearer <key>'.");
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        var match = false;
        foreach (var accepted in _accepted)
        {
            // Every key is compared, so the time taken does not tell which one matched.
            match |= CryptographicOperations.FixedTimeEquals(presented, accepted);
        }
        // Never echo what was sent: it may be a licence, or another system's secret.
        return match ? next(context) : Refuse(context.HttpContext, "Incorrect metrics key.");
    }

    private static ValueTask<object?> Refuse(HttpContext http, string message)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(Results.Text(message + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized));
    }
}
