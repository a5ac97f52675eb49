using Manifold.Host.Metering.Prices;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Metering;

/// <summary>
/// Empties the <see cref="UsageQueue"/> every <c>Manifold__Usage__FlushInterval</c> (500 ms), in transactions of at most
/// <c>BatchSize</c> (500) records: prices each record (cost is computed here, never on the request thread), writes the
/// request log and the hourly totals, advances the licences' cost totals and checks their quotas for the webhook. Prunes
/// the request log past its retention now and then, and drains what is left when the host stops.
/// </summary>
public sealed partial class UsageWriter(
    UsageQueue queue, UsageStore store, PriceTable prices, QuotaAlerts alerts, IOptions<UsageOptions> options, TimeProvider time, ILogger<UsageWriter> logger,
    Storage.Database database)
    : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);

    private readonly UsageOptions _options = options.Value;
    // Never disposed: it has no wait handle to free, and a stop that comes after the container's disposal must still work.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly List<UsageStore.Priced> _batch = [];
    private long _droppedReported;
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;
    private DateTimeOffset _nextShare = DateTimeOffset.MinValue;

    /// <summary>How often other nodes' spend is read (<see cref="UsageOptions.SharedTotalsInterval"/>); zero when never.</summary>
    private TimeSpan ShareEvery => _options.SharedTotalsInterval
        ?? (database.Dialect.Provider == Storage.StorageOptions.PostgresProvider ? TimeSpan.FromSeconds(5) : TimeSpan.Zero);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.FlushInterval > TimeSpan.Zero ? _options.FlushInterval : TimeSpan.FromMilliseconds(500), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Not cancelled by the stop: a batch is taken off the queue before it is written, so a write cut short would
                // lose it (the stop's own flush waits for this one, then writes what is left).
                await FlushAsync(CancellationToken.None);
                await ShareIfDueAsync(stoppingToken);
                await PruneIfDueAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // What the last requests left behind is written before the host exits, so a clean restart loses nothing.
        try
        {
            LogFlushedOnStop(await FlushAsync(CancellationToken.None));
        }
        catch (ObjectDisposedException)
        {
            // Stopped again after the services were disposed (a host stopped twice): there is nothing left to write with.
        }
    }

    /// <summary>Writes everything queued so far, and answers how many records that was. The timer calls it; so do tests and a stopping host.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        var taken = 0;
        try
        {
            var reader = queue.Reader;
            var size = Math.Max(1, _options.BatchSize);
            while (true)
            {
                _batch.Clear();
                while (_batch.Count < size && reader.TryRead(out var record))
                {
                    _batch.Add(new UsageStore.Priced(record, prices.CostOf(record)));
                }
                if (_batch.Count == 0)
                {
                    break;
                }
                taken += _batch.Count;
                await WriteBatchAsync(cancellationToken);
            }
            var dropped = queue.Dropped;
            if (dropped > _droppedReported)
            {
                LogDropped(dropped - _droppedReported, _options.QueueCapacity);
                _droppedReported = dropped;
            }
            return taken;
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task WriteBatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteAsync(_batch, _options.RequestLogRetention > TimeSpan.Zero, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The database is down or full: this batch is lost (and said so), the next one tries again.
            LogWriteFailed(ex, _batch.Count);
            return;
        }
        var charged = new Dictionary<long, QuotaAlerts.Added>();
        foreach (var (record, cost) in _batch)
        {
            if (!record.Billable)
            {
                continue;
            }
            queue.Ledger.For(record.LicenceId).AddCost(cost);
            var added = charged.GetValueOrDefault(record.LicenceId);
            charged[record.LicenceId] = new QuotaAlerts.Added(
                added.Requests + (record.CountsRequest && !record.Failed ? 1 : 0), added.Tokens + record.TotalTokens, added.Cost + cost);
        }
        foreach (var (licenceId, added) in charged)
        {
            // What this batch put into the shared totals is this node's, not another's (UsageLedger.Share).
            queue.Ledger.Written(licenceId, added.Requests, added.Tokens, added.Cost);
        }
        try
        {
            await alerts.CheckAsync(charged, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogAlertsFailed(ex);
        }
    }

    /// <summary>
    /// Reads the shared totals of the licences with a quota, between two batches (holding the writer), so the ledger can tell
    /// this node's writes from the others'. Public for tests that step time by hand.
    /// </summary>
    public async Task ShareIfDueAsync(CancellationToken cancellationToken)
    {
        var every = ShareEvery;
        var now = time.GetUtcNow();
        if (every <= TimeSpan.Zero || now < _nextShare)
        {
            return;
        }
        _nextShare = now + every;
        await _writing.WaitAsync(cancellationToken);
        try
        {
            queue.Ledger.Share(await store.TotalsByLicenceAsync(queue.Ledger.WithQuota, cancellationToken));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogShareFailed(ex);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextPrune || _options.RequestLogRetention <= TimeSpan.Zero)
        {
            return;
        }
        _nextPrune = now + PruneEvery;
        try
        {
            var deleted = await store.PruneAsync(now - _options.RequestLogRetention, cancellationToken);
            if (deleted > 0)
            {
                LogPruned(deleted, _options.RequestLogRetention);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogPruneFailed(ex);
        }
    }

    [LoggerMessage(1, LogLevel.Error, "Could not write {Count} usage records; they are lost")]
    private partial void LogWriteFailed(Exception exception, int count);

    [LoggerMessage(2, LogLevel.Warning, "{Count} usage records dropped: more than {Capacity} were waiting to be written (Manifold__Usage__QueueCapacity)")]
    private partial void LogDropped(long count, int capacity);

    [LoggerMessage(3, LogLevel.Information, "Pruned {Count} requests older than {Retention} from the request log")]
    private partial void LogPruned(int count, TimeSpan retention);

    [LoggerMessage(4, LogLevel.Warning, "Pruning the request log failed; trying again later")]
    private partial void LogPruneFailed(Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Reading the usage other nodes share failed; trying again later")]
    private partial void LogShareFailed(Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Shutdown: wrote the last {Count} usage records")]
    private partial void LogFlushedOnStop(int count);

    [LoggerMessage(5, LogLevel.Warning, "Checking quotas for the webhook failed")]
    private partial void LogAlertsFailed(Exception exception);
}
