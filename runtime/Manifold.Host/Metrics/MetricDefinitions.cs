namespace Manifold.Host.Metrics;

/// <summary>How a metric is exposed: Prometheus' counter, gauge or histogram.</summary>
public enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>
/// One metric family as <c>GET /metrics</c> shows it: its name (also the instrument's), its <c># HELP</c> text, its label names
/// in the order they are written, and, for a histogram, its bucket bounds.
/// </summary>
public sealed record MetricDefinition(string Name, MetricKind Kind, string Help, IReadOnlyList<string> Labels, IReadOnlyList<double>? Buckets = null);

/// <summary>
/// Every metric Manifold exposes, in one list: <see cref="GatewayMetrics"/> and <see cref="MetricsGauges"/> create their
/// instruments from it, the collector knows each family's labels and buckets from it, and docs/operations.md lists it.
/// </summary>
public static class MetricDefinitions
{
    /// <summary>
    /// Seconds, from a millisecond (the gateway's own work) to five minutes (a long generation). Fixed, so that every node's
    /// histograms add up in Prometheus.
    /// </summary>
    public static IReadOnlyList<double> DurationBuckets { get; } =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    public static MetricDefinition Requests { get; } = new(
        "manifold_requests_total", MetricKind.Counter,
        "Gateway requests answered, by the caller's protocol, the platform that served them (empty when none was chosen) and the HTTP status (499: the caller left first).",
        ["protocol", "platform", "status"]);

    public static MetricDefinition RequestDuration { get; } = new(
        "manifold_request_duration_seconds", MetricKind.Histogram,
        "Time from routing a gateway request to its last byte (a stream's included), by protocol and platform.",
        ["protocol", "platform"], DurationBuckets);

    public static MetricDefinition UpstreamDuration { get; } = new(
        "manifold_upstream_duration_seconds", MetricKind.Histogram,
        "Each upstream call attempt, from calling the platform to its whole answer (a stream's last event) or its failure, by platform; attempts the client abandoned are left out.",
        ["platform"], DurationBuckets);

    public static MetricDefinition UpstreamFirstEvent { get; } = new(
        "manifold_upstream_first_event_seconds", MetricKind.Histogram,
        "Streamed upstream calls: time from opening the stream to its first event (time to first token), by platform.",
        ["platform"], DurationBuckets);

    public static MetricDefinition UpstreamRetries { get; } = new(
        "manifold_upstream_retries_total", MetricKind.Counter,
        "Upstream attempts that failed in a retryable way and were tried again on another account, by platform.",
        ["platform"]);

    public static MetricDefinition Tokens { get; } = new(
        "manifold_tokens_total", MetricKind.Counter,
        "Tokens the upstreams reported, by platform, model and direction (input or output).",
        ["platform", "model", "direction"]);

    public static MetricDefinition ActiveStreams { get; } = new(
        "manifold_active_streams", MetricKind.Gauge,
        "Streams being relayed to clients right now, by platform.",
        ["platform"]);

    public static MetricDefinition MediaTasks { get; } = new(
        "manifold_media_tasks", MetricKind.Gauge,
        "Media jobs in the database by kind and status (counted at most once per Manifold__Metrics__TaskCountInterval).",
        ["kind", "status"]);

    public static MetricDefinition AccountHealth { get; } = new(
        "manifold_account_health", MetricKind.Gauge,
        "Upstream accounts by platform and account id: 1 for the state the account is in (healthy, half_open, busy, rate_limited, cooling_down, probing, circuit_open, disabled, key_unreadable), 0 for the others.",
        ["platform", "account", "state"]);

    /// <summary>Every family, sorted by name: the order of the exposition.</summary>
    public static IReadOnlyList<MetricDefinition> All { get; } =
        new[] { Requests, RequestDuration, UpstreamDuration, UpstreamFirstEvent, UpstreamRetries, Tokens, ActiveStreams, MediaTasks, AccountHealth }
            .OrderBy(static d => d.Name, StringComparer.Ordinal)
            .ToArray();
}
