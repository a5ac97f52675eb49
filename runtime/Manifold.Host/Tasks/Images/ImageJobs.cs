using System.Collections.Concurrent;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Host.Gateway;
using Manifold.Host.Platforms;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Tasks.Images;

/// <summary>
/// Runs async image jobs (the seeds' <c>async: true</c>). The poller hands over each due one; it is claimed compare-and-set
/// (in progress, with a lease), so one node runs it, and then made off the poller's round, since an image can take a
/// minute and video polls must not wait for it. The platform is called through the same invoker as a request (account
/// picking, retries, cool-downs). A node that dies mid-run leaves the lease to expire and the job is run again, at most
/// <see cref="MaxAttempts"/> times; a node that stops cleanly puts its jobs back in the queue.
/// </summary>
internal sealed partial class ImageJobs(MediaTasks tasks, ILogger logger) : IAsyncDisposable
{
    /// <summary>How long a run may hold a job before another node takes it to be dead; well above any image's making.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public const int MaxAttempts = 3;

    private readonly SemaphoreSlim _slots = new(tasks.Options.Concurrency);
    private readonly ConcurrentDictionary<string, Task> _running = new();

    /// <summary>Claims and starts a due job when a slot is free; a job left for lack of one is still due at the next round.</summary>
    public async Task StartAsync(MediaTask job, PlatformEntry entry, CancellationToken stopping)
    {
        var now = tasks.Time.GetUtcNow();
        if (job.Status == MediaTaskStatus.InProgress && job.PollCount >= MaxAttempts)
        {
            await tasks.Store.TryUpdateAsync(tasks.Fail(job, "interrupted", $"The job was started {MaxAttempts} times and never finished."), stopping).ConfigureAwait(false);
            return;
        }
        if (entry.Platform is not IImagesAdapter platform)
        {
            await tasks.Store.TryUpdateAsync(tasks.Fail(job, "platform_unavailable", $"Platform '{job.Platform}' no longer makes images."), stopping).ConfigureAwait(false);
            return;
        }
        if (!_slots.Wait(0))
        {
            // The poller leased the job to this node; hand it back due now, for the next round here or another node with room.
            await tasks.Store.TryUpdateAsync(job with { NextPollAt = now }, stopping).ConfigureAwait(false);
            return;
        }
        var claimed = await ClaimAsync(job, now, stopping).ConfigureAwait(false);
        if (claimed is null)
        {
            _slots.Release();
            return;
        }
        _running[job.Id] = Task.Run(async () =>
        {
            try
            {
                await tasks.ChangedAsync(job, claimed, stopping).ConfigureAwait(false);
                await RunAsync(claimed, entry, platform, stopping).ConfigureAwait(false);
            }
            finally
            {
                _running.TryRemove(job.Id, out _);
                _slots.Release();
            }
        }, CancellationToken.None);
    }

    private async Task<MediaTask?> ClaimAsync(MediaTask job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await tasks.Store.TryUpdateAsync(job with
            {
                Status = MediaTaskStatus.InProgress,
                Progress = Math.Max(job.Progress, 10),
                StartedAt = job.StartedAt ?? now,
                UpdatedAt = now,
                NextPollAt = now + Lease,
                PollCount = job.PollCount + 1,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogClaimFailed(ex, job.Id);
            return null;
        }
    }

    private async Task RunAsync(MediaTask job, PlatformEntry entry, IImagesAdapter platform, CancellationToken stopping)
    {
        var parameters = ImageJobParameters.FromJson(job.Parameters);
        var folder = Path.Combine(Path.GetTempPath(), "manifold-jobs", job.Id);
        try
        {
            var files = await LoadInputsAsync(parameters, folder, stopping).ConfigureAwait(false);
            var invocation = await InvokeAsync(job, entry, platform, parameters, files, stopping).ConfigureAwait(false);
            if (invocation.Error is { Status: 499 })
            {
                // Stopping: back to the queue, so the next node (or this one after a restart) makes it without waiting out the lease.
                var now = tasks.Time.GetUtcNow();
                await tasks.Store.TryUpdateAsync(job with { Status = MediaTaskStatus.Queued, UpdatedAt = now, NextPollAt = now, PollCount = job.PollCount - 1 }, CancellationToken.None)
                    .ConfigureAwait(false);
                return;
            }
            var next = invocation.Error is { } error
                ? tasks.Fail(job, error.Code ?? error.Type, error.Message)
                : await CompleteAsync(job, parameters, invocation.Value!, stopping).ConfigureAwait(false);
            next = next with { AccountId = invocation.Context.Account?.Id };
            if (await tasks.Store.TryUpdateAsync(next, CancellationToken.None).ConfigureAwait(false) is { } written)
            {
                LogFinished(job.Id, written.Status);
                await tasks.ChangedAsync(job, written, CancellationToken.None).ConfigureAwait(false);
                if (parameters.Inputs is { Count: > 0 })
                {
                    await tasks.Storage.DeleteAsync(job.Id + "/" + ImageJobParameters.InputsFolder, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            // Manifold's own trouble (storage full, a kept request that no longer reads): the job fails with it rather than
            // being retried into the same wall until its lease runs out.
            LogRunFailed(ex, job.Id);
            if (await tasks.Store.TryUpdateAsync(tasks.Fail(job, "internal_error", "Manifold could not run the job: " + ex.Message), CancellationToken.None)
                .ConfigureAwait(false) is { } failed)
            {
                await tasks.ChangedAsync(job, failed, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            TryDelete(folder);
        }
    }

    private Task<Invocation<ImagesResponse>> InvokeAsync(
        MediaTask job, PlatformEntry entry, IImagesAdapter platform, ImageJobParameters parameters, FileParts files, CancellationToken cancellationToken)
    {
        var invoker = tasks.Runtime.Invoker;
        var requestId = "task-" + job.Id;
        var request = parameters.Request ?? throw new InvalidOperationException("The job has no request to run.");
        if (parameters.Operation == ImageJobParameters.Edit)
        {
            var edit = request.Deserialize<CreateImageEditRequest>(ManifoldJson.Options)!;
            return invoker.InvokeAsync(entry, platform, (adapter, context, ct) => adapter.CreateImageEditAsync(edit, files, context, ct), requestId, "createImageEdit", cancellationToken);
        }
        var generate = request.Deserialize<CreateImageRequest>(ManifoldJson.Options)!;
        return invoker.InvokeAsync(entry, platform, (adapter, context, ct) => adapter.CreateImageAsync(generate, context, ct), requestId, "createImage", cancellationToken);
    }

    /// <summary>Keeps the images; the answer beside them (usage, size, …) is kept too, and the replayable request let go.</summary>
    private async Task<MediaTask> CompleteAsync(MediaTask job, ImageJobParameters parameters, ImagesResponse answer, CancellationToken cancellationToken)
    {
        var results = await ImageResults.SaveAsync(tasks, job.Id, answer, cancellationToken).ConfigureAwait(false);
        if (results.Count == 0)
        {
            return tasks.Fail(job, "no_images", "The platform answered without any image.");
        }
        answer.Data = null;
        var now = tasks.Time.GetUtcNow();
        return job with
        {
            Status = MediaTaskStatus.Completed,
            Progress = 100,
            CompletedAt = now,
            UpdatedAt = now,
            ExpiresAt = now + tasks.Media.Retention,
            Results = StoredResult.ToJson(results),
            Parameters = (parameters with { Request = null, Inputs = null, Answer = JsonSerializer.SerializeToElement(answer, ManifoldJson.Options) }).ToJson(),
            ErrorMessage = null,
        };
    }

    /// <summary>The kept uploads as the files of a request: temporary copies, since a platform reads a part as a file.</summary>
    private async Task<FileParts> LoadInputsAsync(ImageJobParameters parameters, string folder, CancellationToken cancellationToken)
    {
        if (parameters.Inputs is not { Count: > 0 } inputs)
        {
            return FileParts.None;
        }
        Directory.CreateDirectory(folder);
        var parts = new List<FilePart>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var stored = await tasks.Storage.OpenAsync(input.Key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The uploaded file '{input.FileName}' of the job is no longer stored.");
            var path = Path.Combine(folder, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await using (stored.ConfigureAwait(false))
            {
                var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    await stored.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }
            parts.Add(new FilePart(input.Name, input.FileName, input.ContentType, new FileInfo(path).Length, path));
        }
        return new FileParts(parts);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temporary copy left behind is the OS's to clean; the job's outcome does not depend on it.
        }
    }

    /// <summary>Waits for the runs in flight (they have been told to stop), so a stopping host requeues them before it exits.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        _slots.Dispose();
    }

    [LoggerMessage(10, LogLevel.Warning, "Could not claim image job {Id}; it stays due")]
    private partial void LogClaimFailed(Exception exception, string id);

    [LoggerMessage(11, LogLevel.Error, "Image job {Id} could not be run")]
    private partial void LogRunFailed(Exception exception, string id);

    [LoggerMessage(12, LogLevel.Information, "Image job {Id}: {Status}")]
    private partial void LogFinished(string id, string status);
}
