using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Manifold.Contracts;

/// <summary>
/// The one <see cref="JsonSerializerOptions"/> for generated DTOs, on both sides of the plugin boundary.
/// Property names come from [JsonPropertyName] attributes; nulls are omitted unless a spec marks the
/// property as required-and-nullable, or an optional nullable property was assigned null (<see cref="IAssignedNulls"/>). The System.Text.Json source generator cannot see our generated
/// DTOs (generators do not see each other's output), so this is reflection-based, cached once.
/// </summary>
public static class ManifoldJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// For <see cref="Utf8JsonWriter"/>s that serialize DTOs: a writer's own encoder wins over the
    /// serializer's, so it must match <see cref="Options"/>.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Options.Encoder };

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Upstream text goes back to clients verbatim; escaping non-ASCII would only bloat it.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AssignedNulls.Modify } },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
