using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Manifold.Host.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Manifold.Benchmarks.Micro;

/// <summary>
/// What the request path pays to be measured: each <see cref="GatewayMetrics"/> call as the gateway makes it, with the
/// host's own <see cref="MetricsCollector"/> listening (the series already exist, as they do after the first request),
/// against the same calls on instruments nobody listens to. The Allocated column is the point: recording must allocate
/// nothing. <c>scrape</c> is the cost of one <c>GET /metrics</c> over a realistic number of series, off the request path.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private ServiceProvider _services = null!;
    private GatewayMetrics _metrics = null!;
    private MetricsCollector _collector = null!;
    private long _started;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().AddSingleton<MetricsCollector>().AddSingleton<GatewayMetrics>().BuildServiceProvider();
        _metrics = _services.GetRequiredService<GatewayMetrics>();
        _collector = _services.GetRequiredService<MetricsCollector>();
        _started = Stopwatch.GetTimestamp();
        // A gateway that has served a while: 4 protocols x 8 platforms x 5 statuses, and tokens for 40 models.
        foreach (var protocol in new[] { "openai", "anthropic", "gemini", "openai-responses" })
        {
            for (var p = 0; p < 8; p++)
            {
                foreach (var status in new[] { 200, 400, 401, 429, 500 })
                {
                    _metrics.RequestCompleted(protocol, "platform-" + p, status, _started);
                }
                _metrics.UpstreamCompleted("platform-" + p, _started);
                for (var m = 0; m < 5; m++)
                {
                    _metrics.Tokens("platform-" + p, "model-" + m, 100, 10);
                }
            }
        }
        if (!_collector.Collect().Contains("manifold_requests_total{protocol=\"openai\",platform=\"platform-0\",status=\"200\"} 1", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The collector did not see the measurements: the benchmark would measure nothing.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "request (unobserved)")]
    public void RequestUnobserved() => GatewayMetrics.Detached.RequestCompleted("openai", "platform-3", 200, _started);

    [Benchmark(Description = "request: counter + histogram")]
    public void Request() => _metrics.RequestCompleted("openai", "platform-3", 200, _started);

    [Benchmark(Description = "upstream attempt: histogram")]
    public void Upstream() => _metrics.UpstreamCompleted("platform-3", _started);

    [Benchmark(Description = "stream: gauge up, down, histogram")]
    public void Stream()
    {
        using var active = _metrics.StreamOpened("platform-3", _started, CancellationToken.None);
    }

    [Benchmark(Description = "tokens: two counters")]
    public void Tokens() => _metrics.Tokens("platform-3", "model-2", 120, 30);

    [Benchmark(Description = "scrape (~300 series)")]
    public int Scrape() => _collector.Collect().Length;
}
