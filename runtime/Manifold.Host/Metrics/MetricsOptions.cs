namespace Manifold.Host.Metrics;

/// <summary><c>GET /metrics</c>, bound from <c>Manifold:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Manifold:Metrics";

    /// <summary>
    /// A credential for the scraper alone (<c>Authorization: Bearer</c>): it reads metrics and nothing else, so the
    /// Prometheus configuration need not hold the admin key. The admin key is accepted too.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// Serves <c>/metrics</c> without any credential, for a scraper on a private network that cannot send one. The metrics
    /// name platforms, account ids and models, never keys; still, do not open them to the internet.
    /// </summary>
    public bool Open { get; set; }

    /// <summary>How old the media job counts may be: they are counted in the database at most this often, on a scrape.</summary>
    public TimeSpan TaskCountInterval { get; set; } = TimeSpan.FromSeconds(30);
}
