using Manifold.Contracts.OpenAI.Videos;

namespace Manifold.Host.Tasks.Videos;

/// <summary>A video job as OpenAI's Video object, with Manifold's id and times in Unix seconds.</summary>
internal static class VideoObjects
{
    /// <summary>The variants of a finished video, as <c>GET /v1/videos/{id}/content?variant=</c> names them.</summary>
    public static readonly string[] Variants = ["video", "thumbnail", "spritesheet"];

    public static Video From(MediaTask task)
    {
        var parameters = VideoParameters.FromJson(task.Parameters);
        return new Video
        {
            Id = task.Id,
            Model = task.Model,
            Status = task.Status,
            Progress = task.Status == MediaTaskStatus.Completed ? 100 : task.Progress,
            CreatedAt = task.CreatedAt.ToUnixTimeSeconds(),
            CompletedAt = task.CompletedAt?.ToUnixTimeSeconds(),
            ExpiresAt = task.ExpiresAt?.ToUnixTimeSeconds(),
            Prompt = parameters.Prompt,
            Size = parameters.Size,
            Seconds = parameters.Seconds,
            RemixedFromVideoId = parameters.RemixedFrom,
            Error = task.Status == MediaTaskStatus.Failed
                ? new VideoError { Code = task.ErrorCode ?? "failed", Message = task.ErrorMessage ?? "The video could not be generated." }
                : null,
        };
    }

    /// <summary>An upstream status in OpenAI's words; anything unknown still runs.</summary>
    public static string Status(string? upstream) => upstream switch
    {
        MediaTaskStatus.Completed or MediaTaskStatus.Failed or MediaTaskStatus.InProgress or MediaTaskStatus.Queued => upstream,
        _ => MediaTaskStatus.InProgress,
    };
}
