using Microsoft.Extensions.Primitives;

namespace Manifold.Host.Licences;

/// <summary>
/// Finds the licence key a client presented. Clients written for different upstream APIs put it in different
/// places, so several are accepted, checked in a fixed order (first non-empty wins):
/// <list type="number">
/// <item><c>Authorization: Bearer &lt;key&gt;</c> (scheme case-insensitive; OpenAI, Anthropic-compatible clients)</item>
/// <item><c>Authorization: &lt;key&gt;</c> with no scheme</item>
/// <item><c>X-Api-Key</c> (Anthropic)</item>
/// <item><c>X-Goog-Api-Key</c> (Gemini)</item>
/// <item>query <c>?key=</c> (Gemini REST; discouraged, as URLs end up in access logs)</item>
/// </list>
/// </summary>
/// <remarks>
/// Only the first value of a repeated header is considered, so a request cannot smuggle a second key past a proxy
/// that inspects the first. An Authorization header with another scheme (e.g. Basic) is not ours and is skipped.
/// </remarks>
public static class LicenceKeyReader
{
    private const string BearerScheme = "Bearer";

    /// <summary>The presented key, or null when the request carries none.</summary>
    public static string? Read(HttpRequest request) =>
        TryRead(request, out var key) ? MemoryStrings.AsString(key) : null;

    /// <summary>
    /// Allocation-free form of <see cref="Read"/>: the key is a slice of the header value, for
    /// <see cref="LicenceAuthenticator.AuthenticateAsync(ReadOnlyMemory{char}, CancellationToken)"/>.
    /// </summary>
    public static bool TryRead(HttpRequest request, out ReadOnlyMemory<char> key)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers;

        if (TryReadAuthorization(headers.Authorization, out key)
            || TryReadPlain(headers["X-Api-Key"], out key)
            || TryReadPlain(headers["X-Goog-Api-Key"], out key))
        {
            return true;
        }

        // Checked last and only when a query string exists: parsing it is the costliest step here.
        if (request.QueryString.HasValue && request.Query.TryGetValue("key", out var query) && TryReadPlain(query, out key))
        {
            return true;
        }

        key = default;
        return false;
    }

    private static bool TryReadAuthorization(StringValues values, out ReadOnlyMemory<char> key)
    {
        key = default;
        var value = First(values).Trim();
        if (value.IsEmpty)
        {
            return false;
        }

        var space = value.Span.IndexOf(' ');
        if (space < 0)
        {
            // A bare key: some clients send the key as the whole header value. A lone "Bearer" (an empty bearer
            // header, trimmed) is a scheme with no key, not a key.
            if (value.Span.Equals(BearerScheme, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            key = value;
            return true;
        }

        if (!value.Span[..space].Equals(BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        key = value[(space + 1)..].Trim();
        return !key.IsEmpty;
    }

    private static bool TryReadPlain(StringValues values, out ReadOnlyMemory<char> key)
    {
        key = First(values).Trim();
        return !key.IsEmpty;
    }

    private static ReadOnlyMemory<char> First(StringValues values) =>
        values.Count == 0 ? default : values[0].AsMemory();
}
