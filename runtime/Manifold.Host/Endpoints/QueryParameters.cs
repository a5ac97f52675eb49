using System.Globalization;
using Manifold.Host.Protocols;

namespace Manifold.Host.Endpoints;

/// <summary>
/// Reads one call's query parameters as generated handlers declare them. A value that is malformed, missing while required,
/// or out of its bounds reads as its default (or null) and is remembered; <see cref="FailedAsync"/> then answers the first
/// such problem as a 400 naming the parameter, so a handler reads everything and checks once.
/// </summary>
public sealed class QueryParameters
{
    private readonly EndpointCall _call;
    private readonly IQueryCollection _query;
    private ErrorInfo? _error;

    internal QueryParameters(EndpointCall call, IQueryCollection query)
    {
        _call = call;
        _query = query;
    }

    public string? String(string name) => Raw(name);

    public string String(string name, string defaultValue) => Raw(name) ?? defaultValue;

    public string RequiredString(string name) => Raw(name) ?? Missing(name, string.Empty);

    public long? Integer(string name, long? minimum = null, long? maximum = null) =>
        Raw(name) is { } raw ? ParseInteger(name, raw, minimum, maximum) : null;

    public long Integer(string name, long defaultValue, long? minimum = null, long? maximum = null) =>
        Raw(name) is { } raw ? ParseInteger(name, raw, minimum, maximum) ?? defaultValue : defaultValue;

    public long RequiredInteger(string name, long? minimum = null, long? maximum = null) =>
        Raw(name) is { } raw ? ParseInteger(name, raw, minimum, maximum) ?? 0 : Missing(name, 0L);

    public bool? Boolean(string name) => Raw(name) is { } raw ? ParseBoolean(name, raw) : null;

    public bool Boolean(string name, bool defaultValue) => Raw(name) is { } raw ? ParseBoolean(name, raw) ?? defaultValue : defaultValue;

    public bool RequiredBoolean(string name) => Raw(name) is { } raw ? ParseBoolean(name, raw) ?? false : Missing(name, false);

    /// <summary>Google's page tokens over the list the host holds (see <see cref="TokenPaging"/>).</summary>
    public TokenPaging PageByToken(string sizeName, long size, string tokenName, string? token, long defaultSize, long? maxSize = null)
    {
        if (size < 0)
        {
            Fail(sizeName, $"Query parameter '{sizeName}' must not be negative.");
        }
        var offset = 0;
        if (token is not null && !TokenPaging.TryReadToken(token, out offset))
        {
            Fail(tokenName, $"Query parameter '{tokenName}' is not a page token this list issued.");
        }
        // AIP-158: an unset (or zero) size is the default; a larger one than the maximum is lowered to it, not refused.
        var effective = size <= 0 ? defaultSize : maxSize is { } max ? Math.Min(size, max) : size;
        return new TokenPaging((int)Math.Min(effective, int.MaxValue), offset);
    }

    /// <summary>Cursors by item key, as Anthropic's lists page (see <see cref="CursorPaging"/>).</summary>
    public CursorPaging PageByCursor(string sizeName, long size, string afterName, string? after, string beforeName, string? before, long? maxSize = null)
    {
        if (size <= 0)
        {
            Fail(sizeName, $"Query parameter '{sizeName}' must be at least 1.");
        }
        if (after is not null && before is not null)
        {
            Fail(beforeName, $"Query parameters '{afterName}' and '{beforeName}' cannot be combined: a page is either after one item or before one.");
        }
        var effective = maxSize is { } max ? Math.Min(size, max) : size;
        return new CursorPaging((int)Math.Clamp(effective, 1, int.MaxValue), after, before);
    }

    /// <summary>Writes the first problem as a 400 in the caller's protocol; true when there was one, and the handler must stop.</summary>
    public async Task<bool> FailedAsync()
    {
        if (_error is null)
        {
            return false;
        }
        await _call.WriteErrorAsync(_error);
        return true;
    }

    /// <summary>The parameter's value; a parameter given twice counts by its first value, as most servers read it.</summary>
    private string? Raw(string name) => _query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private long? ParseInteger(string name, string raw, long? minimum, long? maximum)
    {
        if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Fail(name, $"Query parameter '{name}' must be an integer, not '{Shorten(raw)}'.");
            return null;
        }
        if (value < minimum || value > maximum)
        {
            var range = (minimum, maximum) switch
            {
                ({ } low, { } high) => $"from {low} to {high}",
                ({ } low, null) => $"at least {low}",
                _ => $"at most {maximum}",
            };
            Fail(name, $"Query parameter '{name}' must be {range}, not {value}.");
            return null;
        }
        return value;
    }

    private bool? ParseBoolean(string name, string raw)
    {
        if (bool.TryParse(raw, out var value))
        {
            return value;
        }
        Fail(name, $"Query parameter '{name}' must be true or false, not '{Shorten(raw)}'.");
        return null;
    }

    private T Missing<T>(string name, T placeholder)
    {
        Fail(name, $"Query parameter '{name}' is required.");
        return placeholder;
    }

    private void Fail(string name, string message) => _error ??= ErrorInfo.BadRequest(message, name);

    // The value is the caller's own text, echoed back; a long one is cut, not repeated whole.
    private static string Shorten(string raw) => raw.Length <= 64 ? raw : raw[..64] + "…";
}
