using System.Text.Json;
using System.Text.Json.Nodes;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// Gemini's <c>Schema</c> (<c>parameters</c>, <c>responseSchema</c>) is an OpenAPI 3.0 subset with uppercase type
/// names (<c>OBJECT</c>, <c>STRING</c>) and <c>nullable</c>; the hub, like every other protocol, holds JSON Schema.
/// The translation is mechanical: lowercase the types and turn <c>nullable: true</c> into a <c>"null"</c> type.
/// Everything else (properties, items, anyOf, enum, required, formats, bounds) already means the same in both.
/// The <c>…JsonSchema</c> fields are JSON Schema already and pass as they are.
/// </summary>
internal static class GeminiSchema
{
    public static JsonElement ToJsonSchema(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return schema;
        }
        var node = JsonNode.Parse(schema.GetRawText())!;
        Normalize(node);
        return JsonSerializer.SerializeToElement(node);
    }

    private static void Normalize(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return;
        }
        var type = schema["type"] is JsonValue value && value.TryGetValue<string>(out var name) ? name.ToLowerInvariant() : null;
        var nullable = schema["nullable"] is JsonValue flag && flag.TryGetValue<bool>(out var isNullable) && isNullable;
        schema.Remove("nullable");
        if (type is not null)
        {
            schema["type"] = nullable ? new JsonArray(type, "null") : type;
        }
        else if (nullable && schema["anyOf"] is JsonArray options)
        {
            options.Add(new JsonObject { ["type"] = "null" });
        }
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, property) in properties)
            {
                Normalize(property);
            }
        }
        Normalize(schema["items"]);
        if (schema["anyOf"] is JsonArray anyOf)
        {
            foreach (var option in anyOf)
            {
                Normalize(option);
            }
        }
    }
}
