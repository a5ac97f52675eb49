using System.Globalization;

namespace Manifold.Host.Admin;

/// <summary>
/// The query string of an admin read, checked parameter by parameter: a value that does not parse, or a parameter the
/// endpoint does not take (a typo would otherwise widen the answer silently), is a 400 naming it.
/// </summary>
internal sealed class AdminQuery
{
    private readonly IQueryCollection _query;

    public AdminQuery(HttpRequest request, params string[] known)
    {
        _query = request.Query;
        foreach (var name in _query.Keys)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                throw new Invalid(name, $"Unknown query parameter '{name}'. This endpoint takes {string.Join(", ", known)}.");
            }
        }
    }

    public sealed class Invalid(string param, string message) : Exception(message)
    {
        public string Param { get; } = param;
    }

    public string? Text(string name) => _query.TryGetValue(name, out var value) && value.ToString().Trim() is { Length: > 0 } text ? text : null;

    public long? Id(string name) => Text(name) is not { } text ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id
        : throw new Invalid(name, $"'{name}' must be a positive whole number, not '{text}'.");

    public int Limit(int fallback, int max) => Text("limit") is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is > 0 && limit <= max ? limit
        : throw new Invalid("limit", $"'limit' must be a whole number from 1 to {max}, not '{text}'.");

    /// <summary>An ISO 8601 time (<c>2026-05-01T12:00:00Z</c>) or day (<c>2026-05-01</c>, its start); UTC unless an offset says otherwise.</summary>
    public DateTimeOffset? Time(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new Invalid(name, $"'{name}' must be an ISO 8601 time such as 2026-05-01T12:00:00Z or a day such as 2026-05-01, not '{text}'.");
    }

    public string? OneOf(string name, params string[] allowed) => Text(name) is not { } text ? null
        : allowed.Contains(text, StringComparer.Ordinal) ? text
        : throw new Invalid(name, $"'{name}' must be one of {string.Join(", ", allowed)}, not '{text}'.");

    /// <summary>A model name, or <c>prefix*</c>; <c>*</c> alone is every model.</summary>
    public string? Model() => Text("model") is not { } model || model == "*" ? null
        : model.IndexOf('*') is var star && (star < 0 || star == model.Length - 1) ? model
        : throw new Invalid("model", $"'model' must be a model name or a prefix followed by one '*' (gpt-4o*), not '{model}'.");
}
