namespace Manifold.Host.Metering;

/// <summary>Metering, bound from <c>Manifold:Usage</c> (<c>Manifold__Usage__…</c>).</summary>
public sealed class UsageOptions
{
    public const string SectionName = "Manifold:Usage";

    /// <summary>
    /// How long the request log keeps a request; older ones are pruned in the background. The hourly totals stay. Zero
    /// keeps no request log at all: a row a request is most of what metering costs (docs/benchmarks.md).
    /// </summary>
    public TimeSpan RequestLogRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the writer empties the queue into the database.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often a node reads the shared usage totals of licences with a quota, to count what other nodes spent. Unset: every
    /// 5 s on PostgreSQL, never on SQLite (one node). Zero turns it off. A quota is overrun by at most what the other nodes
    /// serve in this interval plus one <see cref="FlushInterval"/>.
    /// </summary>
    public TimeSpan? SharedTotalsInterval { get; set; }

    /// <summary>The most records one transaction writes; a fuller queue is written in several.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How many records may wait for the writer. Past it, records are dropped and counted (and the drop logged), never
    /// waited for: a slow disk must not slow requests.
    /// </summary>
    public int QueueCapacity { get; set; } = 100_000;
}
