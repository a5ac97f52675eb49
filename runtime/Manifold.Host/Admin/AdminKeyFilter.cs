using System.Security.Cryptography;
using System.Text;
using Manifold.Host.AdminConsole;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Admin;

/// <summary>
/// Lets a request into the admin API only with <c>Authorization: Bearer &lt;Manifold__Admin__Key&gt;</c>. The comparison
/// is of SHA-256 digests in constant time, so neither the key's length nor its characters leak through timing. A request
/// without that header may instead carry the web console's session cookie, checked by <see cref="ConsoleRequests"/>
/// (writes need its CSRF token too).
/// </summary>
internal sealed class AdminKeyFilter(IOptions<AdminOptions> options, ConsoleSessions sessions) : IEndpointFilter
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Key?.Trim() ?? ""));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (header.Length == 0 && ConsoleRequests.SessionCookie(context.HttpContext.Request) is { } cookie)
        {
            return ConsoleRequests.Check(context.HttpContext, sessions, cookie) is { } refusal ? ValueTask.FromResult<object?>(refusal) : next(context);
        }
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult<object?>(AdminErrors.Unauthorized("Send the admin key as 'Authorization: Bearer <Manifold__Admin__Key>'."));
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expected)
            ? next(context)
            // Never echo what was sent: it may be a licence, or another system's secret.
            : ValueTask.FromResult<object?>(AdminErrors.Unauthorized("Incorrect admin key."));
    }
}
