using System.Text.Json;
using Manifold.Contracts;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// Tells a failure inside a Chat Completions stream from a chunk, whatever shape it came in: OpenAI's
/// <c>data: {"error":{...}}</c>, an error object in another vendor's shape (Anthropic's and Google's also hold
/// <c>error</c>), an <c>event: error</c> a proxy names, or a bare <c>{"message":...}</c> with nothing a chunk has.
/// Any of them relayed as a chunk would hand the client the upstream's words (and maybe its key) as if they were the answer.
/// </summary>
internal static class OpenAIStreamErrors
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The error to report, or null for a real chunk; <paramref name="hasPayload"/>: the event holds choices or usage.</summary>
    public static JsonElement? Find(string? eventName, Dictionary<string, JsonElement>? extra, bool hasPayload)
    {
        if (extra?.TryGetValue("error", out var error) == true && error.ValueKind is JsonValueKind.Object or JsonValueKind.String)
        {
            return error;
        }
        var bareMessage = !hasPayload && extra is not null && (extra.ContainsKey("message") || extra.ContainsKey("detail"));
        if (eventName == "error" || bareMessage)
        {
            return extra is null ? EmptyObject : JsonSerializer.SerializeToElement(extra, ManifoldJson.Options);
        }
        return null;
    }
}
