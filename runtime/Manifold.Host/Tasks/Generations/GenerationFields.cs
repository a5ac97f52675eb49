using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;

namespace Manifold.Host.Tasks.Generations;

/// <summary>Reading the loose fields of a <see cref="GenerationRequest"/>: a 400 naming the field for anything it cannot read.</summary>
internal static class GenerationFields
{
    public static ManifoldException Invalid(string field, string message) => new(400, "invalid_request_error", message, field, "invalid_value");

    /// <summary>The seeds' duration: a number, or a string of one (<c>"10"</c>, <c>"10s"</c>); null when absent.</summary>
    public static double? Duration(JsonElement? value)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var text = element.ValueKind switch
        {
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.String => element.GetString()!.Trim().TrimEnd('s', 'S'),
            _ => null,
        };
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && double.IsFinite(seconds)
            ? seconds
            : throw Invalid("duration", $"Invalid value for 'duration': {element.GetRawText()}. Send a length in seconds, such as 8 or \"8\".");
    }

    /// <summary>The seeds' <c>images</c> or <c>videos</c>: one string or a list of strings; empty when absent.</summary>
    public static IReadOnlyList<string> Strings(JsonElement? value, string field)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (element.ValueKind == JsonValueKind.String)
        {
            return [element.GetString()!];
        }
        if (element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(static e => e.ValueKind == JsonValueKind.String))
        {
            return [.. element.EnumerateArray().Select(static e => e.GetString()!).Where(static s => s.Length > 0)];
        }
        throw Invalid(field, $"Invalid value for '{field}': send a URL, a data: URL or base64, or a list of them.");
    }

    /// <summary>
    /// <paramref name="request"/> with the extras laid over it as JSON, so an extra the platform's request has a field for
    /// (an image's <c>n</c>, <c>quality</c>) fills that field and the rest travel as its unknown fields. Fields Manifold
    /// mapped itself win over an extra of the same name.
    /// </summary>
    public static T WithExtras<T>(T request, IReadOnlyDictionary<string, JsonElement> extras)
    {
        if (extras.Count == 0)
        {
            return request;
        }
        var json = JsonSerializer.SerializeToNode(request, ManifoldJson.Options)!.AsObject();
        foreach (var (name, value) in extras)
        {
            if (!json.ContainsKey(name))
            {
                json[name] = JsonNode.Parse(value.GetRawText());
            }
        }
        try
        {
            return json.Deserialize<T>(ManifoldJson.Options)!;
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : extras.Keys.First();
            throw Invalid(field, $"Invalid value for '{field}': {ex.Message}");
        }
    }
}
