using System.Text.Json;
using System.Text.Json.Serialization;
using Manifold.Contracts;

namespace Manifold.Host.Tasks.Images;

/// <summary>
/// What an image job was asked for, kept with it (<see cref="MediaTask.Parameters"/>). An async job keeps the whole
/// <see cref="Request"/> (as the platform is to get it) and its uploaded <see cref="Inputs"/>, so any node can run it after
/// a restart; <see cref="Answer"/> is what the platform said beside the images (usage, size, revised prompts), kept for
/// reads of the finished job.
/// </summary>
internal sealed record ImageJobParameters
{
    public const string Generate = "generate";
    public const string Edit = "edit";

    /// <summary>Where a job's uploads are kept, under its own folder: deleted as one once the job has run.</summary>
    public const string InputsFolder = "in/";

    [JsonPropertyName("prompt")] public string? Prompt { get; init; }

    /// <summary><see cref="Generate"/> or <see cref="Edit"/>.</summary>
    [JsonPropertyName("operation")] public string Operation { get; init; } = Generate;

    /// <summary>How the client wants the images read back: <c>b64_json</c> (the default) or <c>url</c>.</summary>
    [JsonPropertyName("response_format")] public string? ResponseFormat { get; init; }

    [JsonPropertyName("request")] public JsonElement? Request { get; init; }

    [JsonPropertyName("inputs")] public IReadOnlyList<StoredInput>? Inputs { get; init; }

    [JsonPropertyName("answer")] public JsonElement? Answer { get; init; }

    /// <summary>How the job was asked for beyond the request (the /v2 API's action, a webhook).</summary>
    [JsonPropertyName(Generations.TaskOrigin.Key)] public Generations.TaskOrigin? Origin { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static ImageJobParameters FromJson(string json) => JsonSerializer.Deserialize<ImageJobParameters>(json) ?? new ImageJobParameters();

    /// <summary>The request as the platform is to get it: Manifold's own <c>async</c> is never sent upstream.</summary>
    public static JsonElement Serialize<TRequest>(TRequest request) => JsonSerializer.SerializeToElement(request, ManifoldJson.Options);
}

/// <summary>An uploaded file of an async edit, kept in Manifold's storage until the job has run.</summary>
internal sealed record StoredInput(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("key")] string Key);
