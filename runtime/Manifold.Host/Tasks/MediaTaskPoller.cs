using Manifold.Host.Tasks.Images;
using Manifold.Host.Platforms;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Tasks;

/// <summary>
/// Advances media jobs in the background: every poll interval it takes the jobs that are due, asks their platforms how
/// videos stand (<see cref="VideoJobs"/>) or starts queued image jobs (<see cref="ImageJobs"/>), and writes each change
/// compare-and-set, so two pollers never both move one job.
/// A job past <see cref="MediaTaskOptions.Timeout"/> fails with that reason; results past their retention are deleted.
/// </summary>
public sealed partial class MediaTaskPoller(MediaTasks tasks, ILogger<MediaTaskPoller> logger, IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    private const int Batch = 200;

    private readonly VideoJobs _videos = new(tasks);
    private readonly ImageJobs _images = new(tasks, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not before every hosted service has started: the account pools load the accounts added through the admin API in
        // theirs (they are registered after this), and a job made on such an account must not find it missing after a restart.
        if (lifetime is not null && !lifetime.ApplicationStarted.IsCancellationRequested)
        {
            using var started = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStarted, stoppingToken);
            await Task.Delay(Timeout.InfiniteTimeSpan, started.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            stoppingToken.ThrowIfCancellationRequested();
        }
        using var timer = new PeriodicTimer(Min(tasks.Options.PollInterval, TimeSpan.FromSeconds(1)), tasks.Time);
        do
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be briefly busy; the next tick tries again. A poller that dies would strand every job.
                LogPollFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: every due job (at most a batch), then expired results. Public for tests that step time by hand.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var now = tasks.Time.GetUtcNow();
        // Leased, not just read: on several nodes each due job goes to one of them (docs/operations.md, "Storage and several nodes").
        var due = await tasks.Store.ClaimDueAsync(now, tasks.Options.Lease, Batch, cancellationToken);
        try
        {
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = tasks.Options.Concurrency, CancellationToken = cancellationToken },
                async (job, ct) => await AdvanceAsync(job, ct));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await HandBackAsync(due);
            throw;
        }
        foreach (var expired in await tasks.Store.ExpiredAsync(now, Batch, cancellationToken))
        {
            await tasks.Storage.DeleteAsync(expired.Id + "/", cancellationToken);
            await tasks.Store.TryUpdateAsync(expired with { Results = null, ExpiresAt = null, UpdatedAt = now }, cancellationToken);
        }
    }

    private async Task AdvanceAsync(MediaTask job, CancellationToken cancellationToken)
    {
        MediaTask next;
        PlatformEntry? entry = null;
        if (tasks.Time.GetUtcNow() - job.CreatedAt > tasks.Options.Timeout)
        {
            next = tasks.Fail(job, "timeout", $"The job did not finish within {tasks.Options.Timeout:c} (Manifold__Tasks__Timeout).");
        }
        else if (!tasks.Runtime.Platforms.TryGet(job.Platform, out entry))
        {
            next = tasks.Fail(job, "platform_unavailable", $"Platform '{job.Platform}' is no longer configured.");
        }
        else if (job.AccountId is { } accountId && entry.FindAccount(accountId) is null)
        {
            next = tasks.Fail(job, "account_unavailable", $"The account that made the job ({accountId}) is no longer configured on platform '{job.Platform}'.");
        }
        else if (job.Kind == MediaKinds.Image)
        {
            // An image job is made, not polled: claimed here, run off this round.
            await _images.StartAsync(job, entry, cancellationToken);
            return;
        }
        else
        {
            var account = job.AccountId is null ? null : entry.FindAccount(job.AccountId);
            next = await _videos.PollAsync(job, entry, account, cancellationToken);
        }
        // A poll the stop cut short says nothing about the job ("the caller went away"): it is handed back, not written.
        cancellationToken.ThrowIfCancellationRequested();
        if ((await tasks.Store.TryUpdateAsync(next, cancellationToken) ?? await RetryCompletionAsync(next, cancellationToken)) is not { } written)
        {
            LogLostRace(job.Id);
        }
        else if (next.Status != job.Status || next.Progress != job.Progress)
        {
            if (next.Status != job.Status)
            {
                LogTransition(job.Id, job.Status, next.Status);
            }
            await tasks.ChangedAsync(job, written, cancellationToken);
        }
    }

    /// <summary>
    /// A completion that lost its compare-and-set (a client's read moved the row while the results were being copied)
    /// is not thrown away: the copies are made, so it is applied to the row as it now stands, unless that row is already
    /// finished or deleted. Anything else that lost is simply redone at the next poll.
    /// </summary>
    private async Task<MediaTask?> RetryCompletionAsync(MediaTask completed, CancellationToken cancellationToken)
    {
        if (completed.Status != MediaTaskStatus.Completed)
        {
            return null;
        }
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await tasks.Store.GetAsync(completed.Id, cancellationToken) is not { IsTerminal: false } current)
            {
                return null;
            }
            if (await tasks.Store.TryUpdateAsync(completed with { Version = current.Version }, cancellationToken) is { } written)
            {
                return written;
            }
        }
        return null;
    }

    /// <summary>
    /// The host is stopping mid-round: the jobs this round leased and did not move are made due now (compare-and-set on the
    /// version the claim gave them; a job already written has moved on and is left alone), so another node, or this one
    /// restarted, polls them at once instead of after <see cref="MediaTaskOptions.Lease"/>. Image jobs run off the round
    /// and hand themselves back (<see cref="ImageJobs"/>).
    /// </summary>
    private async Task HandBackAsync(IReadOnlyList<MediaTask> leased)
    {
        var now = tasks.Time.GetUtcNow();
        foreach (var job in leased)
        {
            try
            {
                if (await tasks.Store.TryUpdateAsync(job with { NextPollAt = now }, CancellationToken.None) is not null)
                {
                    Interlocked.Increment(ref _handedBack);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The lease then simply runs out, as after a crash.
                LogHandBackFailed(ex, job.Id);
            }
        }
    }

    private int _handedBack;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // base returns at once when the host's shutdown timeout has already passed; the round still in flight (which hands
        // its jobs back when it sees the stop) is waited for a little anyway, so it is not cut off by the container's disposal.
        if (ExecuteTask is { } round)
        {
            await round.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        // The image runs in flight saw the stop; waiting for them lets each put its job back in the queue before the host exits.
        await _images.DisposeAsync();
        LogStopped(Volatile.Read(ref _handedBack));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(1, LogLevel.Warning, "Polling media jobs failed; trying again at the next tick")]
    private partial void LogPollFailed(Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "Media job {Id} changed under the poller; its change was dropped and is redone at the next poll")]
    private partial void LogLostRace(string id);

    [LoggerMessage(4, LogLevel.Information, "Shutdown: media poller stopped; {Count} leased jobs handed back for any node to poll at once")]
    private partial void LogStopped(int count);

    [LoggerMessage(5, LogLevel.Warning, "Handing media job {Id} back failed; its lease runs out instead")]
    private partial void LogHandBackFailed(Exception exception, string id);

    [LoggerMessage(3, LogLevel.Information, "Media job {Id}: {From} -> {To}")]
    private partial void LogTransition(string id, string from, string to);
}
