using System.Globalization;
using Manifold.Host.Tasks;

namespace Manifold.Host.MediaChat;

/// <summary>
/// A job's state as a reader sees it in <c>reasoning_content</c>: one line per report, the stage, the percentage and the
/// time so far (<c>Generating: 45% (12s)</c>), so that a report repeated while nothing moves still says the job lives.
/// </summary>
internal static class MediaChatProgress
{
    public static string Started(MediaTask job) =>
        string.Create(CultureInfo.InvariantCulture, $"Task {job.Id} created on {job.Platform} ({job.Model}); poll GET {PollPath(job)}.\n");

    public static string Line(MediaTask job, TimeSpan elapsed)
    {
        var stage = job.Status switch
        {
            MediaTaskStatus.Queued => "Queued",
            MediaTaskStatus.InProgress when job.Progress >= 99 => "Saving the result",
            MediaTaskStatus.Completed => "Done",
            _ => "Generating",
        };
        var progress = job.Status == MediaTaskStatus.Completed ? 100 : job.Progress;
        return string.Create(CultureInfo.InvariantCulture, $"{stage}: {progress}% ({(int)elapsed.TotalSeconds}s)\n");
    }

    /// <summary>Where a client reads the job on its own: the Videos API for videos, the image task for images.</summary>
    public static string PollPath(MediaTask job) => job.Kind == MediaKinds.Video ? "/v1/videos/" + job.Id : "/v1/images/" + job.Id;
}
