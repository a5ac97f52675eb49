using Manifold.Host.Tasks;

namespace Manifold.Host.Metrics;

/// <summary>
/// The media job counts <c>manifold_media_tasks</c> shows. Counting is a query over every job, so it runs on a scrape, at
/// most once per <see cref="MetricsOptions.TaskCountInterval"/>, never on a request; between counts a scrape shows the
/// last one. A failed count (a busy database) keeps the previous figures and is logged.
/// </summary>
public sealed partial class MediaTaskCounts(ITaskStore store, TimeProvider time, Microsoft.Extensions.Options.IOptions<MetricsOptions> options, ILogger<MediaTaskCounts> logger)
{
    private readonly SemaphoreSlim _counting = new(1, 1);
    private IReadOnlyList<MediaTaskCount> _counts = [];
    private long _countedAt; // a TimeProvider timestamp; 0 before the first count

    /// <summary>The last counts (empty before the first).</summary>
    public IReadOnlyList<MediaTaskCount> Current => Volatile.Read(ref _counts);

    /// <summary>Counts again when the last count is older than the interval; concurrent scrapes share one count.</summary>
    public async Task RefreshIfStaleAsync(CancellationToken cancellationToken)
    {
        if (!IsStale())
        {
            return;
        }
        await _counting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsStale())
            {
                return;
            }
            Volatile.Write(ref _counts, await store.CountAsync(cancellationToken).ConfigureAwait(false));
            Volatile.Write(ref _countedAt, time.GetTimestamp());
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            LogCountFailed(logger, ex);
            // Try again at the next interval, not on every scrape of a struggling database.
            Volatile.Write(ref _countedAt, time.GetTimestamp());
        }
        finally
        {
            _counting.Release();
        }
    }

    private bool IsStale() => Volatile.Read(ref _countedAt) is var at && (at == 0 || time.GetElapsedTime(at) >= options.Value.TaskCountInterval);

    [LoggerMessage(1, LogLevel.Warning, "Counting media jobs for /metrics failed; the previous counts are shown")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
