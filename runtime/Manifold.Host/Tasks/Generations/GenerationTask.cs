using System.Text.Json;
using System.Text.Json.Serialization;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Tasks.Generations;

/// <summary>
/// Seed 002's task object, as <c>GET /v2/{videos|images}/generations/{task_id}</c> answers it and as webhooks carry it: any
/// media job, whichever API made it, read from its row. Times are Unix seconds; <c>progress</c> a string such as
/// <c>"45%"</c>; <c>data.output</c> / <c>data.outputs</c> signed, expiring links to Manifold's storage that need no licence.
/// </summary>
internal sealed record GenerationTask
{
    [JsonPropertyName("task_id")] public required string TaskId { get; init; }

    [JsonPropertyName("platform")] public required string Platform { get; init; }

    [JsonPropertyName("action")] public required string Action { get; init; }

    [JsonPropertyName("model")] public required string Model { get; init; }

    [JsonPropertyName("status")] public required string Status { get; init; }

    [JsonPropertyName("fail_reason")] public required string FailReason { get; init; }

    [JsonPropertyName("submit_time")] public long SubmitTime { get; init; }

    [JsonPropertyName("start_time")] public long StartTime { get; init; }

    [JsonPropertyName("finish_time")] public long FinishTime { get; init; }

    [JsonPropertyName("progress")] public required string Progress { get; init; }

    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public GenerationOutputs? Data { get; init; }

    [JsonPropertyName("detail")] public JsonElement? Detail { get; init; }

    /// <summary>The seed's statuses from a job's: see <c>docs/media.md</c> for the table.</summary>
    public static string StatusOf(MediaTask job) => job.Status switch
    {
        // Accepted, and nothing has run yet: an image job waits for a worker; a video job is with the upstream, unpolled.
        MediaTaskStatus.Queued when job.PollCount == 0 => job.Kind == MediaKinds.Image ? "NOT_START" : "SUBMITTED",
        MediaTaskStatus.Queued => "QUEUED",
        MediaTaskStatus.InProgress => "IN_PROGRESS",
        MediaTaskStatus.Completed => "SUCCESS",
        _ => "FAILURE",
    };

    /// <summary>The action a job is, when it did not record one (a job made through /v1).</summary>
    public static string DefaultAction(MediaTask job) => job.Kind == MediaKinds.Video ? "text-to-video" : "text-to-image";

    /// <param name="publicBase">Where links are to point (the reader's gateway address, or the one the job was made at).</param>
    public static GenerationTask From(MediaTask job, MediaTasks tasks, string publicBase, JsonElement? detail = null)
    {
        var origin = OriginOf(job);
        var done = job.IsTerminal;
        List<string>? outputs = null;
        if (job.Status == MediaTaskStatus.Completed)
        {
            outputs = [.. StoredResult.FromJson(job.Results)
                .Where(static r => r.Variant is not ("thumbnail" or "spritesheet"))
                .Select(r => publicBase + tasks.Links.PathFor(r.Key))];
        }
        return new GenerationTask
        {
            TaskId = job.Id,
            Platform = job.Platform,
            Action = origin?.Action ?? DefaultAction(job),
            Model = job.Model,
            Status = StatusOf(job),
            FailReason = job.Status == MediaTaskStatus.Failed ? job.ErrorMessage ?? job.ErrorCode ?? "failed" : "",
            SubmitTime = job.CreatedAt.ToUnixTimeSeconds(),
            StartTime = job.StartedAt?.ToUnixTimeSeconds() ?? 0,
            FinishTime = job.CompletedAt?.ToUnixTimeSeconds() ?? 0,
            Progress = (done ? 100 : job.Progress) + "%",
            Data = outputs is { Count: > 0 } ? new GenerationOutputs(outputs[0], outputs, Thumbnail(job, tasks, publicBase)) : null,
            Detail = detail,
        };
    }

    private static string? Thumbnail(MediaTask job, MediaTasks tasks, string publicBase) =>
        StoredResult.FromJson(job.Results).FirstOrDefault(static r => r.Variant == "thumbnail") is { } thumbnail ? publicBase + tasks.Links.PathFor(thumbnail.Key) : null;

    /// <summary>The job's <see cref="TaskOrigin"/>, read from its parameters only when they hold one (a substring check first: most jobs have none).</summary>
    public static TaskOrigin? OriginOf(MediaTask job)
    {
        if (!job.Parameters.Contains("\"" + TaskOrigin.Key + "\"", StringComparison.Ordinal))
        {
            return null;
        }
        using var document = JsonDocument.Parse(job.Parameters);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(TaskOrigin.Key, out var origin) && origin.ValueKind == JsonValueKind.Object
            ? origin.Deserialize<TaskOrigin>()
            : null;
    }
}

/// <summary>A finished job's results: the first (<c>output</c>) and all (<c>outputs</c>), and a video's thumbnail.</summary>
internal sealed record GenerationOutputs(
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("outputs")] IReadOnlyList<string> Outputs,
    [property: JsonPropertyName("thumbnail")] string? Thumbnail);

/// <summary>What <c>POST /v2/{videos|images}/generations</c> answers.</summary>
internal sealed record GenerationCreated([property: JsonPropertyName("task_id")] string TaskId);
