using System.Text.Json;

namespace Manifold.Plugins.Gemini;

/// <summary>
/// Reads Gemini's <c>models.list</c> answer, <c>{"models":[{"name":"models/gemini-2.5-flash",
/// "supportedGenerationMethods":["generateContent",...]}],"nextPageToken":"..."}</c>.
/// </summary>
internal static class GeminiModelList
{
    public static IEnumerable<(string Id, bool GeneratesContent)> Read(JsonElement list)
    {
        if (list.ValueKind != JsonValueKind.Object || !list.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        foreach (var model in models.EnumerateArray())
        {
            if (IdOf(model) is { } id)
            {
                yield return (id, Supports(model, "generateContent"));
            }
        }
    }

    public static string? NextPageToken(JsonElement list) =>
        list.ValueKind == JsonValueKind.Object && list.TryGetProperty("nextPageToken", out var token)
            && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value ? value : null;

    /// <summary>The model id clients use: its resource name without <c>models/</c>.</summary>
    public static string? IdOf(JsonElement model)
    {
        if (model.ValueKind != JsonValueKind.Object || !model.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var text = name.GetString()!;
        return text.StartsWith("models/", StringComparison.Ordinal) ? text[7..] : text;
    }

    private static bool Supports(JsonElement model, string method)
    {
        if (!model.TryGetProperty("supportedGenerationMethods", out var methods) || methods.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var item in methods.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.ValueEquals(method))
            {
                return true;
            }
        }
        return false;
    }
}
