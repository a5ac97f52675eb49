using System.Text.Json;
using System.Text.Json.Serialization;

namespace Manifold.Host.Tasks.Videos;

/// <summary>What a video job was asked for, kept with it (<see cref="MediaTask.Parameters"/>) and answered back in its Video object.</summary>
internal sealed record VideoParameters(
    [property: JsonPropertyName("prompt")] string? Prompt,
    [property: JsonPropertyName("size")] string Size,
    [property: JsonPropertyName("seconds")] string Seconds,
    [property: JsonPropertyName("remixed_from_video_id")] string? RemixedFrom,
    [property: JsonPropertyName(Generations.TaskOrigin.Key)] Generations.TaskOrigin? Origin = null)
{
    /// <summary>The characters the prompt referred to (Manifold's ids and names), shown in the job's detail; null for none.</summary>
    [JsonPropertyName("characters")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Manifold.Host.Characters.CharacterReference>? Characters { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static VideoParameters FromJson(string json) =>
        JsonSerializer.Deserialize<VideoParameters>(json) ?? throw new JsonException("A video job without parameters.");
}

/// <summary>One stored result of a job: which variant, under which storage key, of what type.</summary>
internal sealed record StoredResult(
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("length")] long Length)
{
    public static string ToJson(IReadOnlyList<StoredResult> results) => JsonSerializer.Serialize(results);

    public static IReadOnlyList<StoredResult> FromJson(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<StoredResult>>(json) ?? [];
}
