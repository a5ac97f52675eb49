using System.Collections.Concurrent;

namespace Manifold.Host.Metrics;

/// <summary>
/// The series of one metric family, aggregated as measurements arrive. A measurement finds its series in a concurrent
/// dictionary keyed by a <see cref="SeriesKey"/> struct and updates it with an interlocked operation: no lock, and no
/// allocation once the series exists. A family holds at most <see cref="MaxSeries"/> series; measurements for more (a
/// client inventing model names) go to one series labelled <c>overflow="true"</c>, so memory and scrapes stay bounded.
/// </summary>
internal abstract class MetricFamily
{
    public const int MaxSeries = 5000;

    private readonly string[] _labels;

    protected MetricFamily(MetricDefinition definition)
    {
        if (definition.Labels.Count > SeriesKey.MaxLabels)
        {
            throw new ArgumentException($"Metric {definition.Name} has more than {SeriesKey.MaxLabels} labels.", nameof(definition));
        }
        Definition = definition;
        _labels = [.. definition.Labels];
    }

    public MetricDefinition Definition { get; }

    public IReadOnlyList<string> Labels => _labels;

    public static MetricFamily Create(MetricDefinition definition) => definition.Kind switch
    {
        MetricKind.Counter => new CounterFamily(definition),
        MetricKind.Gauge => new GaugeFamily(definition),
        MetricKind.Histogram => new HistogramFamily(definition),
        _ => throw new ArgumentOutOfRangeException(nameof(definition)),
    };

    /// <summary>Adds a measurement (a counter's increment, a gauge's change, a histogram's observation).</summary>
    public abstract void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Sets a gauge's series to an observed value (observable instruments, called while collecting).</summary>
    public virtual void Set(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Add(value, tags);

    /// <summary>Forgets every series: an observable gauge is observed anew on each scrape, so what was not observed is gone.</summary>
    public abstract void Clear();

    /// <summary>Writes the family: <c># HELP</c>, <c># TYPE</c>, then its series in label order.</summary>
    public abstract void Write(PrometheusTextWriter writer);

    /// <summary>The label values of <paramref name="tags"/> in the family's order; a label not given is empty.</summary>
    protected SeriesKey KeyOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = _labels;
        return new SeriesKey(
            labels.Length > 0 ? ValueOf(tags, labels[0]) : string.Empty,
            labels.Length > 1 ? ValueOf(tags, labels[1]) : string.Empty,
            labels.Length > 2 ? ValueOf(tags, labels[2]) : string.Empty,
            labels.Length > 3 ? ValueOf(tags, labels[3]) : string.Empty);
    }

    private static string ValueOf(ReadOnlySpan<KeyValuePair<string, object?>> tags, string label)
    {
        foreach (var tag in tags)
        {
            // The instruments' tag names are the definitions' own string literals, so the reference check usually decides.
            if (ReferenceEquals(tag.Key, label) || string.Equals(tag.Key, label, StringComparison.Ordinal))
            {
                return tag.Value as string ?? Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }
        return string.Empty;
    }
}

/// <summary>A family whose series are <typeparamref name="TSeries"/> cells, with the bounded lookup and the ordered listing.</summary>
internal abstract class MetricFamily<TSeries>(MetricDefinition definition) : MetricFamily(definition)
    where TSeries : class
{
    private readonly ConcurrentDictionary<SeriesKey, TSeries> _series = new();
    private int _count;
    private TSeries? _overflow;

    protected abstract TSeries NewSeries();

    protected TSeries SeriesFor(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = KeyOf(tags);
        if (_series.TryGetValue(key, out var series))
        {
            return series;
        }
        if (Volatile.Read(ref _count) >= MaxSeries)
        {
            return _overflow ?? Interlocked.CompareExchange(ref _overflow, NewSeries(), null) ?? _overflow!;
        }
        var created = NewSeries();
        if (_series.TryAdd(key, created))
        {
            Interlocked.Increment(ref _count);
            return created;
        }
        return _series[key];
    }

    public override void Clear()
    {
        _series.Clear();
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _overflow, null);
    }

    public override void Write(PrometheusTextWriter writer)
    {
        writer.WriteHeader(Definition);
        var all = _series.ToArray();
        Array.Sort(all, static (x, y) => x.Key.CompareTo(y.Key));
        foreach (var (key, series) in all)
        {
            WriteSeries(writer, new SeriesLabels(Labels, key), series);
        }
        if (Volatile.Read(ref _overflow) is { } overflow)
        {
            WriteSeries(writer, SeriesLabels.Overflow, overflow);
        }
    }

    protected abstract void WriteSeries(PrometheusTextWriter writer, SeriesLabels labels, TSeries series);
}

/// <summary>A series' labels for writing: the family's names with one key's values, or the overflow series' one label.</summary>
internal readonly record struct SeriesLabels(IReadOnlyList<string> Names, SeriesKey Values)
{
    public static SeriesLabels Overflow { get; } = new(["overflow"], new SeriesKey("true", "", "", ""));
}

/// <summary>One counter or gauge value, updated with interlocked operations.</summary>
internal sealed class ValueCell
{
    private long _bits;

    public double Value => BitConverter.Int64BitsToDouble(Volatile.Read(ref _bits));

    public void Add(double delta)
    {
        // A compare-and-swap loop over the double's bits: lock-free, and exact for the integral values counters carry.
        long seen, next;
        do
        {
            seen = Volatile.Read(ref _bits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + delta);
        }
        while (Interlocked.CompareExchange(ref _bits, next, seen) != seen);
    }

    public void Set(double value) => Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));
}

internal sealed class CounterFamily(MetricDefinition definition) : MetricFamily<ValueCell>(definition)
{
    protected override ValueCell NewSeries() => new();

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // A counter only goes up; System.Diagnostics.Metrics does not stop a negative Add, so it is dropped here.
        if (value > 0)
        {
            SeriesFor(tags).Add(value);
        }
    }

    protected override void WriteSeries(PrometheusTextWriter writer, SeriesLabels labels, ValueCell series) =>
        writer.WriteSample(Definition.Name, labels, series.Value);
}

internal sealed class GaugeFamily(MetricDefinition definition) : MetricFamily<ValueCell>(definition)
{
    protected override ValueCell NewSeries() => new();

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => SeriesFor(tags).Add(value);

    public override void Set(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => SeriesFor(tags).Set(value);

    protected override void WriteSeries(PrometheusTextWriter writer, SeriesLabels labels, ValueCell series) =>
        writer.WriteSample(Definition.Name, labels, series.Value);
}
