using System.Globalization;
using System.Text;

namespace Manifold.Host.Tests.Metrics;

/// <summary>
/// A strict reader of Prometheus' text exposition format 0.0.4, written from the format's grammar (not from Manifold's
/// writer), so a scrape that Prometheus would reject fails the test: names and label names by their regular expressions,
/// label values with only the three escapes, Go float spellings, one <c># HELP</c> and <c># TYPE</c> per family before its
/// samples, a family's samples together, no sample twice, and histograms with cumulative buckets ending in <c>+Inf</c>
/// equal to <c>_count</c>, and a <c>_sum</c>.
/// </summary>
public sealed class PrometheusExposition
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed class Family(string name)
    {
        public string Name { get; } = name;

        public string? Help { get; set; }

        public string? Type { get; set; }

        public List<Sample> Samples { get; } = [];
    }

    private readonly Dictionary<string, Family> _families = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Family> Families => _families;

    /// <summary>Parses <paramref name="text"/>, throwing <see cref="FormatException"/> with the line number at the first violation.</summary>
    public static PrometheusExposition Parse(string text)
    {
        var exposition = new PrometheusExposition();
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a line feed.");
        }
        var lines = text.Split('\n');
        Family? current = null;
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < lines.Length - 1; n++)
        {
            var line = lines[n];
            try
            {
                if (line.Length == 0)
                {
                    continue;
                }
                if (line.StartsWith('#'))
                {
                    var parts = line.Split(' ', 4);
                    if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "HELP" or "TYPE")
                    {
                        var name = parts[2];
                        RequireMetricName(name);
                        var family = exposition.Enter(name, ref current, finished);
                        if (parts[1] == "HELP")
                        {
                            if (family.Help is not null)
                            {
                                throw new FormatException($"A second HELP line for {name}.");
                            }
                            family.Help = Unescape(parts.Length == 4 ? parts[3] : "", allowQuote: false);
                        }
                        else
                        {
                            if (family.Type is not null || family.Samples.Count > 0)
                            {
                                throw new FormatException($"TYPE for {name} repeated or after its samples.");
                            }
                            family.Type = parts.Length == 4 && parts[3] is "counter" or "gauge" or "histogram" or "summary" or "untyped"
                                ? parts[3]
                                : throw new FormatException($"Unknown type in '{line}'.");
                        }
                    }
                    continue;
                }
                var sample = ParseSample(line);
                var familyName = exposition.FamilyOf(sample.Name);
                var owner = exposition.Enter(familyName, ref current, finished);
                var identity = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(static l => l.Key, StringComparer.Ordinal).Select(static l => l.Key + "=" + l.Value)) + "}";
                if (!seen.Add(identity))
                {
                    throw new FormatException($"The sample {identity} appears twice.");
                }
                owner.Samples.Add(sample);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"Line {n + 1} '{line}': {ex.Message}", ex);
            }
        }
        foreach (var family in exposition._families.Values.Where(static f => f.Type == "histogram"))
        {
            CheckHistogram(family);
        }
        return exposition;
    }

    /// <summary>The family a sample belongs to: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> belong to its base name.</summary>
    private string FamilyOf(string sampleName)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && _families.TryGetValue(sampleName[..^suffix.Length], out var family) && family.Type is "histogram" or "summary")
            {
                return family.Name;
            }
        }
        return sampleName;
    }

    private Family Enter(string name, ref Family? current, HashSet<string> finished)
    {
        if (current?.Name == name)
        {
            return current;
        }
        if (current is not null)
        {
            finished.Add(current.Name);
        }
        if (finished.Contains(name))
        {
            throw new FormatException($"The family {name} is split: its lines must be together.");
        }
        if (!_families.TryGetValue(name, out var family))
        {
            family = new Family(name);
            _families[name] = family;
        }
        current = family;
        return family;
    }

    private static Sample ParseSample(string line)
    {
        var i = 0;
        var name = ReadName(line, ref i, metric: true);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (i < line.Length && line[i] != '}')
            {
                var label = ReadName(line, ref i, metric: false);
                if (i >= line.Length || line[i] != '=')
                {
                    throw new FormatException("Expected '=' after a label name.");
                }
                i++;
                if (i >= line.Length || line[i] != '"')
                {
                    throw new FormatException("Expected a quoted label value.");
                }
                i++;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new FormatException("Unterminated label value.");
                    }
                    var c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }
                    if (c == '\\')
                    {
                        value.Append(i < line.Length ? line[i++] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var other => throw new FormatException($"Invalid escape '\\{other}' in a label value."),
                        } : throw new FormatException("A label value ends in a backslash."));
                        continue;
                    }
                    value.Append(c);
                }
                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"The label {label} appears twice.");
                }
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
                else if (i >= line.Length || line[i] != '}')
                {
                    throw new FormatException("Expected ',' or '}' after a label.");
                }
            }
            if (i >= line.Length)
            {
                throw new FormatException("Unterminated label set.");
            }
            i++;
        }
        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException("Expected a space before the value.");
        }
        var fields = line[(i + 1)..].Split(' ');
        if (fields.Length is < 1 or > 2 || (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException("Expected a value and an optional integer timestamp.");
        }
        return new Sample(name, labels, ParseFloat(fields[0]));
    }

    private static string ReadName(string line, ref int i, bool metric)
    {
        var start = i;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_' || (metric && line[i] == ':')))
        {
            i++;
        }
        var name = line[start..i];
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            throw new FormatException($"Invalid {(metric ? "metric" : "label")} name at column {start + 1}.");
        }
        return name;
    }

    private static void RequireMetricName(string name)
    {
        var i = 0;
        if (ReadName(name, ref i, metric: true).Length != name.Length)
        {
            throw new FormatException($"Invalid metric name '{name}'.");
        }
    }

    /// <summary>Go's ParseFloat as the format uses it: decimals, exponents, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    private static double ParseFloat(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when text.Length > 0 && text.All(static c => char.IsAsciiDigit(c) || c is '.' or '-' or '+' or 'e' or 'E')
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw new FormatException($"'{text}' is not a number."),
    };

    private static string Unescape(string text, bool allowQuote)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }
            result.Append(++i < text.Length ? text[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when allowQuote => '"',
                var other => throw new FormatException($"Invalid escape '\\{other}' in help text."),
            } : throw new FormatException("Help text ends in a backslash."));
        }
        return result.ToString();
    }

    private static void CheckHistogram(Family family)
    {
        foreach (var sample in family.Samples)
        {
            if (sample.Name != family.Name + "_bucket" && sample.Name != family.Name + "_sum" && sample.Name != family.Name + "_count")
            {
                throw new FormatException($"Histogram {family.Name} has a sample named {sample.Name}.");
            }
        }
        foreach (var series in family.Samples.GroupBy(static s => SeriesOf(s)))
        {
            var buckets = series.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
            if (buckets.Any(static b => !b.Labels.ContainsKey("le")))
            {
                throw new FormatException($"A bucket of {family.Name}{series.Key} has no le.");
            }
            var bounds = buckets.Select(static b => ParseFloat(b.Labels["le"])).ToList();
            for (var i = 1; i < buckets.Count; i++)
            {
                if (!(bounds[i] > bounds[i - 1]) || buckets[i].Value < buckets[i - 1].Value)
                {
                    throw new FormatException($"{family.Name}{series.Key}: buckets must be in increasing le and cumulative.");
                }
            }
            if (bounds.Count == 0 || !double.IsPositiveInfinity(bounds[^1]))
            {
                throw new FormatException($"{family.Name}{series.Key} has no +Inf bucket.");
            }
            var count = series.SingleOrDefault(s => s.Name == family.Name + "_count") ?? throw new FormatException($"{family.Name}{series.Key} has no _count.");
            _ = series.SingleOrDefault(s => s.Name == family.Name + "_sum") ?? throw new FormatException($"{family.Name}{series.Key} has no _sum.");
            if (count.Value != buckets[^1].Value)
            {
                throw new FormatException($"{family.Name}{series.Key}: _count {count.Value} differs from the +Inf bucket {buckets[^1].Value}.");
            }
        }
    }

    private static string SeriesOf(Sample sample) =>
        "{" + string.Join(",", sample.Labels.Where(static l => l.Key != "le").OrderBy(static l => l.Key, StringComparer.Ordinal).Select(static l => $"{l.Key}={l.Value}")) + "}";

    /// <summary>The value of the sample named <paramref name="name"/> with exactly <paramref name="labels"/>; null when there is none.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
    {
        var sample = Samples(name).SingleOrDefault(s => s.Labels.Count == labels.Length && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));
        return sample?.Value;
    }

    /// <summary>Every sample named <paramref name="name"/> (a histogram's <c>_bucket</c>, <c>_sum</c> or <c>_count</c> included).</summary>
    public IEnumerable<Sample> Samples(string name) =>
        _families.TryGetValue(FamilyOf(name), out var family) ? family.Samples.Where(s => s.Name == name) : [];
}
