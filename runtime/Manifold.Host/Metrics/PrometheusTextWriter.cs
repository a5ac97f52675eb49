using System.Globalization;
using System.Text;

namespace Manifold.Host.Metrics;

/// <summary>
/// Prometheus' text exposition format, version 0.0.4: <c># HELP</c> and <c># TYPE</c> once per family, then one
/// <c>name{label="value",...} number</c> line per sample, lines ending in <c>\n</c>. Label values escape backslash, double
/// quote and line feed; help text escapes backslash and line feed. Numbers are Go's spellings (<c>+Inf</c>, <c>-Inf</c>,
/// <c>NaN</c>) or the shortest round-trip decimal.
/// </summary>
public sealed class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(4096);

    public override string ToString() => _text.ToString();

    public void WriteHeader(MetricDefinition definition)
    {
        _text.Append("# HELP ").Append(definition.Name).Append(' ');
        foreach (var c in definition.Help)
        {
            _ = c switch
            {
                '\\' => _text.Append(@"\\"),
                '\n' => _text.Append(@"\n"),
                _ => _text.Append(c),
            };
        }
        _text.Append('\n');
        _text.Append("# TYPE ").Append(definition.Name).Append(' ').Append(definition.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Gauge => "gauge",
            MetricKind.Histogram => "histogram",
            _ => "untyped",
        }).Append('\n');
    }

    internal void WriteSample(string name, SeriesLabels labels, double value) => WriteSample(name, null, labels, null, null, value);

    /// <summary>One sample: the family name and <paramref name="suffix"/> (<c>_bucket</c>, <c>_sum</c>...), the series' labels, and one more label (<c>le</c>) when given.</summary>
    internal void WriteSample(string name, string? suffix, SeriesLabels labels, string? extraLabel, string? extraValue, double value)
    {
        _text.Append(name).Append(suffix);
        var names = labels.Names;
        if (names.Count > 0 || extraLabel is not null)
        {
            _text.Append('{');
            for (var i = 0; i < names.Count; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }
                WriteLabel(names[i], labels.Values[i]);
            }
            if (extraLabel is not null)
            {
                if (names.Count > 0)
                {
                    _text.Append(',');
                }
                WriteLabel(extraLabel, extraValue ?? string.Empty);
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(FormatNumber(value)).Append('\n');
    }

    private void WriteLabel(string name, string value)
    {
        _text.Append(name).Append("=\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => _text.Append(@"\\"),
                '"' => _text.Append("\\\""),
                '\n' => _text.Append(@"\n"),
                _ => _text.Append(c),
            };
        }
        _text.Append('"');
    }

    public static string FormatNumber(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
