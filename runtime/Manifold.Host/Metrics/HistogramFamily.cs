namespace Manifold.Host.Metrics;

/// <summary>
/// A histogram with the definition's fixed bucket bounds. Each observation increments one bucket (not cumulative: one
/// interlocked increment) and adds to the sum; the exposition makes the buckets cumulative and takes <c>_count</c> from
/// their total, so <c>_count</c> always equals the <c>+Inf</c> bucket even while observations arrive mid-scrape.
/// </summary>
internal sealed class HistogramFamily : MetricFamily<HistogramCell>
{
    private readonly double[] _bounds;
    private readonly string[] _le;

    public HistogramFamily(MetricDefinition definition)
        : base(definition)
    {
        _bounds = [.. definition.Buckets ?? throw new ArgumentException($"Histogram {definition.Name} has no buckets.", nameof(definition))];
        for (var i = 1; i < _bounds.Length; i++)
        {
            if (!(_bounds[i] > _bounds[i - 1]))
            {
                throw new ArgumentException($"Histogram {definition.Name}'s buckets must increase.", nameof(definition));
            }
        }
        _le = [.. _bounds.Select(PrometheusTextWriter.FormatNumber), "+Inf"];
    }

    protected override HistogramCell NewSeries() => new(_bounds.Length + 1);

    public override void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            return;
        }
        // The first bound the value does not exceed (le is "less than or equal"); past the last one, the +Inf bucket.
        var index = Array.BinarySearch(_bounds, value);
        SeriesFor(tags).Observe(index >= 0 ? index : ~index, value);
    }

    protected override void WriteSeries(PrometheusTextWriter writer, SeriesLabels labels, HistogramCell series)
    {
        var name = Definition.Name;
        long cumulative = 0;
        for (var i = 0; i < _le.Length; i++)
        {
            cumulative += series.Count(i);
            writer.WriteSample(name, "_bucket", labels, "le", _le[i], cumulative);
        }
        writer.WriteSample(name, "_sum", labels, null, null, series.Sum);
        writer.WriteSample(name, "_count", labels, null, null, cumulative);
    }
}

/// <summary>One histogram series: a count per bucket and the sum of the observations.</summary>
internal sealed class HistogramCell(int buckets)
{
    private readonly long[] _counts = new long[buckets];
    private readonly ValueCell _sum = new();

    public double Sum => _sum.Value;

    public long Count(int bucket) => Volatile.Read(ref _counts[bucket]);

    public void Observe(int bucket, double value)
    {
        Interlocked.Increment(ref _counts[bucket]);
        _sum.Add(value);
    }
}
