using System.Globalization;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Host.Tasks.Images;
using Manifold.Host.Tasks.Videos;
using Manifold.Host.Metering;

namespace Manifold.Host.Tasks;

/// <summary>
/// Media jobs are metered once each, when they finish: one record per image or video job (a row of the request log, with
/// the job's id as its request id), carrying the images made or the seconds of video, and the tokens where the platform
/// reported them. The request that made the job counted as the request; the job adds what it produced. A job made
/// within its request (a synchronous image) is metered with that request instead, so it is not counted twice.
/// </summary>
internal static class JobMetering
{
    /// <summary>Meters <paramref name="after"/> if this write is the one that finished it (<paramref name="before"/> still ran).</summary>
    public static void Finished(this MediaTasks tasks, MediaTask before, MediaTask after)
    {
        if (before.IsTerminal || !after.IsTerminal || after.LicenceId is not { } licenceId)
        {
            return;
        }
        var completed = after.Status == MediaTaskStatus.Completed;
        var (usage, images, seconds) = completed ? Produced(after) : (null, 0, 0d);
        var now = tasks.Time.GetUtcNow();
        var record = new UsageRecord
        {
            Time = now.ToUnixTimeMilliseconds(),
            LicenceId = licenceId,
            Platform = after.Platform,
            AccountId = after.AccountId,
            Model = after.Model,
            Protocol = UsageRecords.TaskProtocol,
            Operation = after.Kind == MediaKinds.Video ? UsageRecords.VideoJob : UsageRecords.ImageJob,
            Status = completed ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError,
            ErrorCode = completed ? null : after.ErrorCode ?? "failed",
            RequestId = after.Id,
            InputTokens = usage?.InputTokens ?? 0,
            OutputTokens = usage?.OutputTokens ?? 0,
            TotalTokens = usage?.TotalTokens ?? 0,
            Images = images,
            VideoSeconds = seconds,
            LatencyMs = (now - after.CreatedAt).TotalMilliseconds,
            Source = usage is null ? UsageSource.None : UsageSource.Reported,
            Billable = completed,
            CountsRequest = false,
            Failed = !completed,
        };
        if (completed)
        {
            tasks.Usage.Ledger.Charge(licenceId, record.TotalTokens);
        }
        tasks.Usage.Enqueue(record);
    }

    private static (ImageGenUsage? Usage, int Images, double Seconds) Produced(MediaTask job)
    {
        try
        {
            if (job.Kind == MediaKinds.Video)
            {
                var seconds = double.TryParse(VideoParameters.FromJson(job.Parameters).Seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0;
                return (null, 0, seconds);
            }
            var answer = ImageJobParameters.FromJson(job.Parameters).Answer?.Deserialize<ImagesResponse>(ManifoldJson.Options);
            return (answer?.Usage, StoredResult.FromJson(job.Results).Count, 0);
        }
        catch (JsonException)
        {
            // A job's kept parameters that no longer read: it is still metered, as made, with nothing to count.
            return (null, 0, 0);
        }
    }
}
