using Manifold.Host.Metrics;

namespace Manifold.Host.Tests.Metrics;

/// <summary>The aggregation and the text the collector writes, below the host: bounds, ordering and numbers.</summary>
public sealed class MetricFamilyTests
{
    private static KeyValuePair<string, object?>[] Tags(string platform, string model, string direction) =>
        [new("direction", direction), new("platform", platform), new("model", model)];

    private static PrometheusExposition Written(MetricFamily family)
    {
        var writer = new PrometheusTextWriter();
        family.Write(writer);
        return PrometheusExposition.Parse(writer.ToString());
    }

    [Fact]
    public void Series_beyond_the_bound_go_to_one_overflow_series_and_nothing_is_lost()
    {
        var family = MetricFamily.Create(MetricDefinitions.Tokens);
        const int Extra = 25;

        for (var i = 0; i < MetricFamily.MaxSeries + Extra; i++)
        {
            family.Add(2, Tags("p", "model-" + i, "input"));
        }
        family.Add(3, Tags("p", "model-0", "input"));
        var written = Written(family);

        var samples = written.Samples(MetricDefinitions.Tokens.Name).ToList();
        Assert.Equal(MetricFamily.MaxSeries + 1, samples.Count);
        Assert.Equal(5, written.Value(MetricDefinitions.Tokens.Name, ("platform", "p"), ("model", "model-0"), ("direction", "input")));
        Assert.Equal(2 * Extra, written.Value(MetricDefinitions.Tokens.Name, ("overflow", "true")));
        Assert.Equal(2.0 * (MetricFamily.MaxSeries + Extra) + 3, samples.Sum(static s => s.Value));
    }

    [Fact]
    public void Series_are_written_in_label_order_whatever_order_they_arrived_in_and_tags_in_any_order_find_one_series()
    {
        var family = MetricFamily.Create(MetricDefinitions.Requests);

        foreach (var (platform, status) in new[] { ("b", "200"), ("a", "500"), ("a", "200"), ("b", "200") })
        {
            family.Add(1, [new("status", status), new("protocol", "openai"), new("platform", platform)]);
        }
        var writer = new PrometheusTextWriter();
        family.Write(writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "# HELP manifold_requests_total " + MetricDefinitions.Requests.Help,
                "# TYPE manifold_requests_total counter",
                """manifold_requests_total{protocol="openai",platform="a",status="200"} 1""",
                """manifold_requests_total{protocol="openai",platform="a",status="500"} 1""",
                """manifold_requests_total{protocol="openai",platform="b",status="200"} 2""",
            ],
            lines);
    }

    [Fact]
    public void A_histogram_puts_each_observation_in_the_first_bucket_whose_bound_it_does_not_exceed()
    {
        var family = MetricFamily.Create(MetricDefinitions.UpstreamDuration);
        KeyValuePair<string, object?>[] tags = [new("platform", "p")];

        family.Add(0.001, tags);   // exactly on the first bound: le is "less than or equal"
        family.Add(0.3, tags);     // between 0.25 and 0.5
        family.Add(1000, tags);    // past the last bound: +Inf only
        family.Add(double.NaN, tags);
        var written = Written(family);

        double? Bucket(string le) => written.Value("manifold_upstream_duration_seconds_bucket", ("platform", "p"), ("le", le));
        Assert.Equal(1, Bucket("0.001"));
        Assert.Equal(1, Bucket("0.25"));
        Assert.Equal(2, Bucket("0.5"));
        Assert.Equal(2, Bucket("300"));
        Assert.Equal(3, Bucket("+Inf"));
        Assert.Equal(3, written.Value("manifold_upstream_duration_seconds_count", ("platform", "p")));
        Assert.Equal(1000.301, written.Value("manifold_upstream_duration_seconds_sum", ("platform", "p"))!.Value, 9);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.0025, "0.0025")]
    [InlineData(300.0, "300")]
    [InlineData(1e-7, "1E-07")]
    public void Numbers_are_written_as_the_format_spells_them(double value, string text) =>
        Assert.Equal(text, PrometheusTextWriter.FormatNumber(value));

    [Fact]
    public void The_strict_parser_rejects_what_Prometheus_would()
    {
        Assert.Throws<FormatException>(() => PrometheusExposition.Parse("x{a=\"1\"} 1"));                       // no final line feed
        Assert.Throws<FormatException>(() => PrometheusExposition.Parse("x{a=\"\\t\"} 1\n"));                   // an escape the format lacks
        Assert.Throws<FormatException>(() => PrometheusExposition.Parse("x 1\ny 1\nx{a=\"b\"} 2\n"));           // a family split in two
        Assert.Throws<FormatException>(() => PrometheusExposition.Parse("x 1\nx 2\n"));                         // a sample twice
        Assert.Throws<FormatException>(() => PrometheusExposition.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"));
        Assert.Throws<FormatException>(() => PrometheusExposition.Parse("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n"));
        Assert.Throws<FormatException>(() => PrometheusExposition.Parse("1x 1\n"));
    }

    [Fact]
    public void Operations_docs_describe_every_metric()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Plugins.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Plugins.sln not found above the test's folder.");
        }
        var docs = File.ReadAllText(Path.Combine(root, "docs", "operations.md"));

        foreach (var definition in MetricDefinitions.All)
        {
            Assert.Contains($"`{definition.Name}`", docs, StringComparison.Ordinal);
        }
    }
}
