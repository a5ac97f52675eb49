using System.Text.Json;
using System.Text.Json.Serialization;
using Manifold.Contracts;

namespace Manifold.Host.Tasks.Generations;

/// <summary>
/// The body of seed 002's <c>POST /v2/{videos|images}/generations</c>: one loose shape for every platform, mapped onto a
/// platform's own request by <see cref="VideoGenerationMapping"/> and <see cref="ImageGenerationMapping"/>. Numbers the
/// seeds send either way (<c>"duration": 10</c> or <c>"10"</c>) are kept as JSON and read there; anything else is an
/// extra, passed to the platform when its API has such a field.
/// </summary>
internal sealed class GenerationRequest : IValidatable
{
    [JsonPropertyName("prompt")] public string? Prompt { get; set; }

    [JsonPropertyName("model")] public string? Model { get; set; }

    [JsonPropertyName("duration")] public JsonElement? Duration { get; set; }

    [JsonPropertyName("aspect_ratio")] public string? AspectRatio { get; set; }

    [JsonPropertyName("size")] public string? Size { get; set; }

    [JsonPropertyName("resolution")] public string? Resolution { get; set; }

    /// <summary>Image URLs, <c>data:</c> URLs or bare base64: one string or a list.</summary>
    [JsonPropertyName("images")] public JsonElement? Images { get; set; }

    [JsonPropertyName("videos")] public JsonElement? Videos { get; set; }

    [JsonPropertyName("watermark")] public bool? Watermark { get; set; }

    [JsonPropertyName("hd")] public bool? Hd { get; set; }

    [JsonPropertyName("private")] public bool? Private { get; set; }

    /// <summary>Where the task object is POSTed on each terminal state (<see cref="Webhooks.TaskWebhooks"/>).</summary>
    [JsonPropertyName("notify_hook")] public string? NotifyHook { get; set; }

    /// <summary>Manifold's spelling for "also on progress": each change of status or progress is delivered too.</summary>
    [JsonPropertyName("notify_progress")] public bool? NotifyProgress { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extras { get; set; }

    public ValidationError? Validate()
    {
        if (string.IsNullOrWhiteSpace(Prompt))
        {
            return ValidationError.Missing("prompt");
        }
        if (string.IsNullOrWhiteSpace(Model))
        {
            return ValidationError.Missing("model");
        }
        return null;
    }
}
