using System.Diagnostics.Metrics;
using Manifold.Host.Accounts;
using Manifold.Host.Tasks;

namespace Manifold.Host.Metrics;

/// <summary>
/// The gauges read at scrape time rather than kept as requests go: media job counts and account health. Observable
/// instruments on the same meter as <see cref="GatewayMetrics"/>; made at the first scrape, since they have no history.
/// </summary>
public sealed class MetricsGauges
{
    private static readonly string[] Kinds = [MediaKinds.Image, MediaKinds.Video];
    private static readonly string[] Statuses = [MediaTaskStatus.Queued, MediaTaskStatus.InProgress, MediaTaskStatus.Completed, MediaTaskStatus.Failed];
    private static readonly AccountState[] States = Enum.GetValues<AccountState>();

    private readonly MediaTaskCounts _tasks;

    public MetricsGauges(IMeterFactory meters, MediaTaskCounts tasks, IAccountHealthSource accounts, MetricsCollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        _tasks = tasks;
        var meter = meters.Create(GatewayMetrics.MeterName);
        meter.CreateObservableGauge(MetricDefinitions.MediaTasks.Name, () => ObserveTasks(tasks.Current), "{task}", MetricDefinitions.MediaTasks.Help);
        meter.CreateObservableGauge(MetricDefinitions.AccountHealth.Name, () => ObserveAccounts(accounts), unit: null, MetricDefinitions.AccountHealth.Help);
    }

    /// <summary>Brings what the gauges read up to date (the job counts, when older than their interval) before a scrape.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken) => _tasks.RefreshIfStaleAsync(cancellationToken);

    /// <summary>Every kind and status, zeros included, so a dashboard's series do not vanish when a status empties.</summary>
    private static IEnumerable<Measurement<long>> ObserveTasks(IReadOnlyList<MediaTaskCount> counts)
    {
        foreach (var kind in Kinds)
        {
            foreach (var status in Statuses)
            {
                yield return Count(kind, status, counts.FirstOrDefault(c => c.Kind == kind && c.Status == status)?.Count ?? 0);
            }
        }
        foreach (var count in counts)
        {
            if (!Kinds.Contains(count.Kind) || !Statuses.Contains(count.Status))
            {
                yield return Count(count.Kind, count.Status, count.Count);
            }
        }

        static Measurement<long> Count(string kind, string status, long count) =>
            new(count, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("status", status));
    }

    /// <summary>A state set: for each account, 1 on its state and 0 on the others.</summary>
    private static IEnumerable<Measurement<long>> ObserveAccounts(IAccountHealthSource accounts)
    {
        foreach (var account in accounts.Accounts())
        {
            foreach (var state in States)
            {
                yield return new Measurement<long>(account.State == state ? 1 : 0,
                    new KeyValuePair<string, object?>("platform", account.Platform),
                    new KeyValuePair<string, object?>("account", account.Account),
                    new KeyValuePair<string, object?>("state", AccountStates.Name(state)));
            }
        }
    }
}
