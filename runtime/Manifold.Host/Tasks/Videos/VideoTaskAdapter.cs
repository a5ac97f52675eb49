using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Media;
using Manifold.Host.Platforms;
using Characters = Manifold.Host.Characters;

namespace Manifold.Host.Tasks.Videos;

/// <summary>
/// The Videos API as clients see it: Manifold's ids, answers from the task store, content from Manifold's storage. New
/// jobs and remixes go to the platform's own <see cref="IVideosAdapter"/> (which speaks upstream ids) and are recorded;
/// <see cref="VideoJobs"/> follows them. One instance serves one request, for one caller and, but for a list, one platform.
/// </summary>
internal sealed class VideoTaskAdapter(MediaTasks tasks, PlatformEntry entry, IVideosAdapter? platform, MediaTask? task, long? licenceId, string publicBase) : IVideosAdapter
{
    /// <summary>How a new job was asked for beyond the request (the /v2 API's action, a webhook); kept with the job.</summary>
    public Generations.TaskOrigin? Origin { get; set; }

    public async Task<Video> CreateVideoAsync(CreateVideoRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        request.UseOpenAIForms();
        Origin ??= await Generations.V1Hooks.TakeAsync(tasks, request.AdditionalProperties, publicBase, cancellationToken).ConfigureAwait(false);
        // @name in the prompt (and OpenAI's characters list): the licence's characters, as the platform takes them, made
        // on the account that made them. Every door that makes a video job comes through here.
        var cast = tasks.Characters is null ? Characters.CharacterCast.None
            : await tasks.Characters.CastAsync(request, entry, licenceId, cancellationToken).ConfigureAwait(false);
        context = cast.Pin(context, entry);
        Video upstream;
        using (cast.ApplyTo(request))
        {
            upstream = await Platform.CreateVideoAsync(request, files, context, cancellationToken).ConfigureAwait(false);
        }
        var parameters = new VideoParameters(request.Prompt, upstream.Size ?? request.Size ?? "720x1280", upstream.Seconds ?? request.Seconds ?? "4", null, Origin)
        {
            Characters = cast.Recorded,
        };
        return VideoObjects.From(await RecordAsync(upstream, request.Model, parameters, context, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The job, read through to its platform while it runs (at most once a second), so a client that polls sees the
    /// upstream's progress as it moves; a finished job is answered from the store alone.
    /// </summary>
    public async Task<Video> RetrieveVideoAsync(string videoId, bool detail, AdapterContext context, CancellationToken cancellationToken)
    {
        var video = await ReadThroughAsync(context, cancellationToken).ConfigureAwait(false);
        if (detail)
        {
            var job = await tasks.Store.GetAsync(Job.Id, cancellationToken).ConfigureAwait(false) ?? Job;
            video.Detail = TaskDetails.For(job, tasks, publicBase, await tasks.WebhookRecordAsync(job, cancellationToken).ConfigureAwait(false));
        }
        return video;
    }

    private async Task<Video> ReadThroughAsync(AdapterContext context, CancellationToken cancellationToken)
    {
        var job = Job;
        var now = tasks.Time.GetUtcNow();
        if (job.IsTerminal || platform is null || job.UpstreamId is not { } upstreamId || now - job.UpdatedAt < FreshEnough)
        {
            return VideoObjects.From(job);
        }
        Video upstream;
        try
        {
            upstream = await platform.RetrieveVideoAsync(upstreamId, detail: false, context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ManifoldException or IOException or HttpRequestException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            // The upstream is briefly unwell: the job is not, and its last known state is still the truth to tell.
            return VideoObjects.From(job);
        }
        var next = new VideoJobs(tasks).Apply(job, upstream, now);
        if (next.Status == job.Status && next.Progress == job.Progress && next.ErrorCode == job.ErrorCode)
        {
            // Nothing a client can see has moved: no write. A write here would bump the row's version under the poller,
            // whose collection of a finished job (which takes a while) would then lose its compare-and-set every time.
            return VideoObjects.From(job);
        }
        // Lost to the poller (or another client): its state is as fresh, and the next read shows it.
        if (await tasks.Store.TryUpdateAsync(next, cancellationToken).ConfigureAwait(false) is not { } written)
        {
            return VideoObjects.From(next);
        }
        await tasks.ChangedAsync(job, written, cancellationToken).ConfigureAwait(false);
        return VideoObjects.From(written);
    }

    private static readonly TimeSpan FreshEnough = TimeSpan.FromSeconds(1);

    public async Task<VideoList> ListVideosAsync(long limit, string order, string? after, AdapterContext context, CancellationToken cancellationToken)
    {
        if (order is not ("asc" or "desc"))
        {
            throw new ManifoldException(400, "invalid_request_error", $"'order' must be asc or desc, not '{order}'.", "order");
        }
        if (after is not null && (await tasks.Store.GetAsync(after, cancellationToken).ConfigureAwait(false))?.LicenceId != licenceId)
        {
            throw new ManifoldException(400, "invalid_request_error", $"'after' names no video of yours: '{after}'.", "after");
        }
        var page = await tasks.Store.ListAsync(licenceId, MediaKinds.Video, after, (int)limit + 1, order == "asc", cancellationToken).ConfigureAwait(false);
        var data = page.Take((int)limit).Select(VideoObjects.From).ToList();
        return new VideoList { Data = data, FirstId = data.FirstOrDefault()?.Id, LastId = data.LastOrDefault()?.Id, HasMore = page.Count > limit };
    }

    public async Task<DeletedVideo> DeleteVideoAsync(string videoId, AdapterContext context, CancellationToken cancellationToken)
    {
        var job = Job;
        if (!job.IsTerminal)
        {
            // As OpenAI's API: a running job is not deleted (every platform alike, whatever its upstream allows).
            throw new ManifoldException(400, "invalid_request_error",
                $"Video '{job.Id}' is {job.Status.Replace('_', ' ')}; only a completed or failed video can be deleted.", code: "invalid_video_state");
        }
        if (job.UpstreamId is { } upstreamId && platform is not null)
        {
            try
            {
                await platform.DeleteVideoAsync(upstreamId, context, cancellationToken).ConfigureAwait(false);
            }
            catch (UpstreamException ex) when (ex.StatusCode == 404)
            {
                // Already gone upstream (expired there): Manifold's copy is what is left to delete.
            }
        }
        await tasks.Storage.DeleteAsync(job.Id + "/", cancellationToken).ConfigureAwait(false);
        await tasks.Store.DeleteAsync(job.Id, cancellationToken).ConfigureAwait(false);
        return new DeletedVideo { Id = job.Id, Deleted = true };
    }

    public async Task<BinaryContent> RetrieveVideoContentAsync(string videoId, string variant, AdapterContext context, CancellationToken cancellationToken)
    {
        if (!VideoObjects.Variants.Contains(variant))
        {
            throw new ManifoldException(400, "invalid_request_error", $"'variant' must be video, thumbnail or spritesheet, not '{variant}'.", "variant");
        }
        var job = Job;
        if (job.Status != MediaTaskStatus.Completed)
        {
            throw new ManifoldException(404, "invalid_request_error",
                $"Video '{job.Id}' is {job.Status.Replace('_', ' ')}; its content can be downloaded once it is completed.", code: "video_not_ready");
        }
        var stored = StoredResult.FromJson(job.Results).FirstOrDefault(r => r.Variant == variant);
        var media = stored is null ? null : await tasks.Storage.OpenAsync(stored.Key, cancellationToken).ConfigureAwait(false);
        if (media is null)
        {
            throw new ManifoldException(404, "invalid_request_error",
                job.ExpiresAt <= tasks.Time.GetUtcNow() ? $"The content of video '{job.Id}' has expired." : $"Video '{job.Id}' has no {variant}.", code: "content_not_found");
        }
        return new BinaryContent(media.Content, media.ContentType, media.Length);
    }

    public async Task<Video> RemixVideoAsync(string videoId, RemixVideoRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var source = Job;
        if (source.Status != MediaTaskStatus.Completed || source.UpstreamId is null)
        {
            throw new ManifoldException(400, "invalid_request_error", $"Video '{source.Id}' is {source.Status.Replace('_', ' ')}; only a completed video can be remixed.", code: "invalid_video_state");
        }
        var upstream = await Platform.RemixVideoAsync(source.UpstreamId, request, context, cancellationToken).ConfigureAwait(false);
        var before = VideoParameters.FromJson(source.Parameters);
        var parameters = new VideoParameters(request.Prompt, upstream.Size ?? before.Size, upstream.Seconds ?? before.Seconds, source.Id);
        return VideoObjects.From(await RecordAsync(upstream, source.Model, parameters, context, cancellationToken).ConfigureAwait(false));
    }

    private MediaTask Job => task ?? throw new InvalidOperationException("This call needs the job its id names.");

    private IVideosAdapter Platform => platform
        ?? throw new ManifoldException(404, "invalid_request_error", $"Platform '{entry.Name}' (plugin '{entry.Settings.Plugin}') does not make videos.", code: "unsupported_endpoint");

    /// <summary>Records a job the platform accepted; it is Manifold's from now on (its id, its polling, its results).</summary>
    private async Task<MediaTask> RecordAsync(Video upstream, string? model, VideoParameters parameters, AdapterContext context, CancellationToken cancellationToken)
    {
        var now = tasks.Time.GetUtcNow();
        var job = new MediaTask
        {
            Id = MediaTaskIds.New(MediaKinds.Video),
            Kind = MediaKinds.Video,
            Platform = entry.Name,
            AccountId = context.Account?.Id,
            UpstreamId = upstream.Id,
            Model = upstream.Model ?? model ?? "",
            LicenceId = licenceId,
            // A job done at once still has its results to collect: the poller does that, then completes it.
            Status = VideoObjects.Status(upstream.Status) == MediaTaskStatus.Completed ? MediaTaskStatus.InProgress : VideoObjects.Status(upstream.Status),
            Progress = (int)Math.Clamp(upstream.Progress, 0, 99),
            ErrorCode = upstream.Error?.Code,
            ErrorMessage = upstream.Error?.Message,
            CompletedAt = VideoObjects.Status(upstream.Status) == MediaTaskStatus.Failed ? now : null,
            CreatedAt = now,
            UpdatedAt = now,
            Parameters = parameters.ToJson(),
            NextPollAt = now + tasks.Options.PollInterval,
        };
        await tasks.Store.InsertAsync(job, cancellationToken).ConfigureAwait(false);
        if (job.IsTerminal && tasks.Webhooks is { } webhooks)
        {
            // Failed as it was made (no poll will ever move it): its webhook still hears of the end.
            await webhooks.OnChangedAsync(tasks, job with { Status = MediaTaskStatus.Queued, CompletedAt = null }, job, cancellationToken).ConfigureAwait(false);
        }
        return job with { Version = 1 };
    }
}
