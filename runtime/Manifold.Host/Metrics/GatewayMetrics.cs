using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Manifold.Host.Metrics;

/// <summary>
/// The request path's instruments, on the <c>Manifold</c> meter (System.Diagnostics.Metrics), created once per host. Every
/// method is one call per event for the code it instruments; tags go in a <see cref="TagList"/> (a struct: no allocation
/// for up to eight tags) and label values are strings the caller already holds (platform names, cached status codes),
/// so recording allocates nothing. <see cref="MetricsCollector"/> listens and <c>GET /metrics</c> shows the result; any
/// other MeterListener (dotnet-counters, an OpenTelemetry SDK a plugin host adds) can listen to the same meter.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Manifold";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Histogram<double> _upstreamFirstEvent;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _tokens;
    private readonly UpDownCounter<long> _activeStreams;

    /// <summary>
    /// The host's instruments. <paramref name="collector"/> is asked for so that it listens before the first measurement:
    /// nothing recorded at startup is lost.
    /// </summary>
    public GatewayMetrics(IMeterFactory meters, MetricsCollector collector)
        : this(meters.Create(MeterName))
    {
        ArgumentNullException.ThrowIfNull(collector);
    }

    private GatewayMetrics(Meter meter)
    {
        _requests = meter.CreateCounter<long>(MetricDefinitions.Requests.Name, "{request}", MetricDefinitions.Requests.Help);
        _requestDuration = CreateHistogram(meter, MetricDefinitions.RequestDuration);
        _upstreamDuration = CreateHistogram(meter, MetricDefinitions.UpstreamDuration);
        _upstreamFirstEvent = CreateHistogram(meter, MetricDefinitions.UpstreamFirstEvent);
        _retries = meter.CreateCounter<long>(MetricDefinitions.UpstreamRetries.Name, "{attempt}", MetricDefinitions.UpstreamRetries.Help);
        _tokens = meter.CreateCounter<long>(MetricDefinitions.Tokens.Name, "{token}", MetricDefinitions.Tokens.Help);
        _activeStreams = meter.CreateUpDownCounter<long>(MetricDefinitions.ActiveStreams.Name, "{stream}", MetricDefinitions.ActiveStreams.Help);
    }

    /// <summary>
    /// Instruments nobody listens to, for a gateway put together without the host's services (tests of generated code):
    /// recording on them costs one check. Its meter is not named <c>Manifold</c>, so no listener mistakes it for a host's.
    /// </summary>
    public static GatewayMetrics Detached { get; } = new(new Meter(MeterName + ".Detached"));

    // The advice carries the buckets, so that any listener (not only ours) aggregates with the same bounds.
    private static Histogram<double> CreateHistogram(Meter meter, MetricDefinition definition) =>
        meter.CreateHistogram(definition.Name, "s", definition.Help, tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = definition.Buckets });

    private static double SecondsSince(long startedTimestamp) => Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds;

    /// <summary>A gateway request ended: counted by protocol, platform and status, and timed from <paramref name="startedTimestamp"/>.</summary>
    public void RequestCompleted(string protocol, string platform, int status, long startedTimestamp)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new TagList { { "protocol", protocol }, { "platform", platform }, { "status", StatusLabels.Of(status) } });
        }
        if (_requestDuration.Enabled)
        {
            _requestDuration.Record(SecondsSince(startedTimestamp), new TagList { { "protocol", protocol }, { "platform", platform } });
        }
    }

    /// <summary>An upstream attempt that began at <paramref name="startedTimestamp"/> has its whole answer, or has failed.</summary>
    public void UpstreamCompleted(string platform, long startedTimestamp)
    {
        if (_upstreamDuration.Enabled)
        {
            _upstreamDuration.Record(SecondsSince(startedTimestamp), new KeyValuePair<string, object?>("platform", platform));
        }
    }

    /// <summary>A streamed upstream attempt that began at <paramref name="startedTimestamp"/> gave its first event (or ended without one).</summary>
    public void UpstreamFirstEvent(string platform, long startedTimestamp)
    {
        if (_upstreamFirstEvent.Enabled)
        {
            _upstreamFirstEvent.Record(SecondsSince(startedTimestamp), new KeyValuePair<string, object?>("platform", platform));
        }
    }

    /// <summary>A retryable upstream failure is being tried again on another account.</summary>
    public void UpstreamRetried(string platform) => _retries.Add(1, new KeyValuePair<string, object?>("platform", platform));

    /// <summary>
    /// A stream, whose upstream attempt began at <paramref name="upstreamStartedTimestamp"/>, is being relayed to a client.
    /// Disposing the result (at the stream's end, however it ends) counts it out of the active streams and, unless the
    /// client left first (<paramref name="aborted"/>), records the upstream call's duration.
    /// </summary>
    public ActiveStream StreamOpened(string platform, long upstreamStartedTimestamp, CancellationToken aborted)
    {
        _activeStreams.Add(1, new KeyValuePair<string, object?>("platform", platform));
        return new ActiveStream(this, platform, upstreamStartedTimestamp, aborted);
    }

    internal void StreamClosed(string platform, long upstreamStartedTimestamp, CancellationToken aborted)
    {
        _activeStreams.Add(-1, new KeyValuePair<string, object?>("platform", platform));
        if (!aborted.IsCancellationRequested)
        {
            UpstreamCompleted(platform, upstreamStartedTimestamp);
        }
    }

    /// <summary>
    /// Tokens an upstream reported for one answer (metering calls this where it reads the usage). Input and output are
    /// separate series of <c>manifold_tokens_total</c>; zeros are not recorded.
    /// </summary>
    public void Tokens(string platform, string model, long input, long output)
    {
        if (!_tokens.Enabled)
        {
            return;
        }
        if (input > 0)
        {
            _tokens.Add(input, new TagList { { "platform", platform }, { "model", model }, { "direction", "input" } });
        }
        if (output > 0)
        {
            _tokens.Add(output, new TagList { { "platform", platform }, { "model", model }, { "direction", "output" } });
        }
    }
}

/// <summary>A stream counted in <c>manifold_active_streams</c> until disposed. A struct: <c>using</c> it allocates nothing.</summary>
public readonly struct ActiveStream(GatewayMetrics? metrics, string platform, long upstreamStartedTimestamp, CancellationToken aborted) : IDisposable
{
    public void Dispose() => metrics?.StreamClosed(platform, upstreamStartedTimestamp, aborted);
}
