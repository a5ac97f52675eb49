using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Media;
using Manifold.Host.Platforms;

namespace Manifold.Host.Tasks.Videos;

/// <summary>
/// One poll of a video job: ask its platform (with the account that made it) how the job stands, and when it is done,
/// copy every variant into Manifold's storage before calling it completed, so a download never reaches the upstream.
/// </summary>
internal sealed class VideoJobs(MediaTasks tasks)
{
    /// <summary>The job as it stands after this poll; the caller writes it (compare-and-set).</summary>
    public async Task<MediaTask> PollAsync(MediaTask job, PlatformEntry entry, UpstreamAccount? account, CancellationToken cancellationToken)
    {
        if (entry.Platform is not IVideosAdapter platform || job.UpstreamId is not { } upstreamId)
        {
            return tasks.Fail(job, "platform_unavailable", $"Platform '{job.Platform}' no longer makes videos.");
        }
        var invoker = tasks.Runtime.Invoker;
        var polled = await invoker.InvokeAsync(entry, platform, (adapter, context, ct) => adapter.RetrieveVideoAsync(upstreamId, detail: false, context, ct),
            "poll-" + job.Id, "pollVideo", cancellationToken, account).ConfigureAwait(false);
        var now = tasks.Time.GetUtcNow();
        if (polled.Error is { } error)
        {
            // A failed poll is not a failed job: the upstream may be briefly down. Try again later; the timeout ends it.
            return job with { UpdatedAt = now, NextPollAt = tasks.NextPoll(job, now), PollCount = job.PollCount + 1, ErrorMessage = error.Message };
        }
        var video = polled.Value!;
        return VideoObjects.Status(video.Status) == MediaTaskStatus.Completed
            ? await CollectAsync(job, entry, platform, account, upstreamId, cancellationToken).ConfigureAwait(false)
            : Apply(job, video, now);
    }

    /// <summary>
    /// The job as the upstream's <paramref name="video"/> says it stands, without collecting anything: a completed upstream
    /// job is left at 99% and due at once, for the poller to copy its results and complete it.
    /// </summary>
    public MediaTask Apply(MediaTask job, Video video, DateTimeOffset now)
    {
        var status = VideoObjects.Status(video.Status);
        if (status == MediaTaskStatus.Failed)
        {
            return tasks.Fail(job, video.Error?.Code ?? "failed", video.Error?.Message ?? "The platform reported the video as failed.");
        }
        var done = status == MediaTaskStatus.Completed;
        return job with
        {
            Status = done ? MediaTaskStatus.InProgress : status,
            Progress = done ? 99 : (int)Math.Clamp(video.Progress, job.Progress, 99),
            StartedAt = job.StartedAt ?? (status != MediaTaskStatus.Queued ? now : null),
            UpdatedAt = now,
            NextPollAt = done ? now : tasks.NextPoll(job, now),
            PollCount = job.PollCount + 1,
            ErrorMessage = null,
        };
    }

    private async Task<MediaTask> CollectAsync(
        MediaTask job, PlatformEntry entry, IVideosAdapter platform, UpstreamAccount? account, string upstreamId, CancellationToken cancellationToken)
    {
        var results = new List<StoredResult>();
        foreach (var variant in VideoObjects.Variants)
        {
            var downloaded = await tasks.Runtime.Invoker.InvokeAsync(entry, platform,
                async (adapter, context, ct) =>
                {
                    await using var content = await adapter.RetrieveVideoContentAsync(upstreamId, variant, context, ct).ConfigureAwait(false);
                    var key = MediaKeys.For(job.Id, variant);
                    var length = await tasks.Storage.SaveAsync(key, content.ContentType, content.Content, ct).ConfigureAwait(false);
                    return new StoredResult(variant, key, content.ContentType, length);
                },
                "collect-" + job.Id, "collectVideo", cancellationToken, account).ConfigureAwait(false);
            if (downloaded.Value is { } stored)
            {
                results.Add(stored);
            }
            else if (variant == "video")
            {
                // Without the video itself there is nothing to hand over; try again at the next poll.
                var now = tasks.Time.GetUtcNow();
                return job with { UpdatedAt = now, NextPollAt = tasks.NextPoll(job, now), PollCount = job.PollCount + 1, ErrorMessage = downloaded.Error?.Message };
            }
            // A platform without thumbnails or spritesheets still completes the video.
        }
        var done = tasks.Time.GetUtcNow();
        return job with
        {
            Status = MediaTaskStatus.Completed,
            Progress = 100,
            // A job the poller never saw running (queued one poll, done the next) started no later than it finished.
            StartedAt = job.StartedAt ?? done,
            CompletedAt = done,
            ExpiresAt = done + tasks.Media.Retention,
            Results = StoredResult.ToJson(results),
            UpdatedAt = done,
            ErrorMessage = null,
        };
    }
}
