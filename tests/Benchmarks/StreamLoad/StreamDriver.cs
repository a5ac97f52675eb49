using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Manifold.Benchmarks.StreamLoad;

/// <summary>
/// Opens <c>--streams</c> concurrent streams through the gateway in one direction (inbound protocol × upstream platform),
/// spread over <c>--ramp-seconds</c>, reads every byte of each, and samples the gateway's memory (<c>--pid</c>) the
/// whole time. A stream completes when it came back 200, carried the whole answer's text and ended with its protocol's
/// final event; anything else is a failure, counted by reason. Writes a JSON summary to <c>--out</c>.
/// </summary>
internal static class StreamDriver
{
    public static async Task<int> RunAsync(Options o)
    {
        var gateway = o.Text("gateway").TrimEnd('/');
        var key = o.Text("key");
        var inbound = Inbound.Of(o.Text("inbound"));
        var platform = o.Text("platform");
        var model = o.Text("model", Inbound.ModelFor(platform));
        var streams = o.Number("streams", 1000);
        var rampMs = o.Number("ramp-seconds", 5) * 1000;
        var events = o.Number("events", 60);
        var streamTimeout = TimeSpan.FromSeconds(o.Number("stream-timeout-seconds", 180));
        var pid = o.Number("pid", 0);
        var expected = StreamText.Whole(events);

        using var http = Clients.Create(streams);
        var open = 0;
        var peakOpen = 0;
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstBytes = new List<double>();
        long bytes = 0;
        var completed = 0;
        var baseline = pid > 0 ? RssSampler.Read(pid) : null;
        var sampler = pid > 0 ? new RssSampler(pid, () => Volatile.Read(ref open)) : null;
        var clock = Stopwatch.StartNew();

        async Task OneAsync(int i)
        {
            await Task.Delay(TimeSpan.FromMilliseconds((double)rampMs * i / streams));
            var result = new StreamResult();
            string? failure = null;
            var opened = false;
            using var deadline = new CancellationTokenSource(streamTimeout);
            try
            {
                var started = Stopwatch.GetTimestamp();
                using var request = inbound.Request(gateway, platform, model, key, stream: true);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failure = $"status {(int)response.StatusCode}";
                    await response.Content.ReadAsStringAsync(deadline.Token);
                    return;
                }
                var now = Interlocked.Increment(ref open);
                opened = true;
                InterlockedMax(ref peakOpen, now);
                lock (firstBytes)
                {
                    firstBytes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
                await SseClient.ReadAsync(body, inbound, result, deadline.Token);
                failure = result.Error ? "error event" : !result.Finished ? "no final event" : result.Text.ToString() != expected ? "text differs" : null;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                failure = "client timeout";
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
            {
                failure = ex.GetType().Name;
            }
            finally
            {
                if (opened)
                {
                    Interlocked.Decrement(ref open);
                }
                Interlocked.Add(ref bytes, result.Bytes);
                if (failure is null)
                {
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    lock (failures)
                    {
                        failures[failure] = failures.GetValueOrDefault(failure) + 1;
                    }
                    if (result.ErrorText is { } text && failures.GetValueOrDefault("example") == 0)
                    {
                        Console.Error.WriteLine($"[streams] {inbound.Name}→{platform}: {failure}: {Trim(text)}");
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, streams).Select(i => Task.Run(() => OneAsync(i))));
        var seconds = clock.Elapsed.TotalSeconds;
        // A moment after the last stream, for the memory the gateway keeps once the load is gone.
        await Task.Delay(2000);
        var samples = Array.Empty<RssSampler.Sample>();
        if (sampler is not null)
        {
            await sampler.DisposeAsync();
            samples = [.. sampler.Samples];
        }
        var final = pid > 0 ? RssSampler.Read(pid) : null;
        // "Steady": every sample taken while (nearly) all streams were open at once.
        var steady = samples.Where(s => s.Open >= streams * 95 / 100).Select(s => s.RssKb).Order().ToArray();
        firstBytes.Sort();
        var summary = new
        {
            direction = $"{inbound.Name}→{platform}",
            inbound = inbound.Name,
            platform,
            model,
            streams,
            completed,
            failed = streams - completed,
            failures,
            peak_open = peakOpen,
            seconds = Math.Round(seconds, 1),
            bytes,
            first_byte_ms_p50 = Percentile(firstBytes, 50),
            first_byte_ms_p99 = Percentile(firstBytes, 99),
            rss_mb = new
            {
                before = Mb(baseline?.RssKb),
                peak_sampled = Mb(samples.Length > 0 ? samples.Max(s => s.RssKb) : null),
                peak_hwm = Mb(final?.HwmKb ?? (samples.Length > 0 ? samples[^1].HwmKb : null)),
                steady_median = Mb(steady.Length > 0 ? steady[steady.Length / 2] : null),
                steady_samples = steady.Length,
                after = Mb(final?.RssKb),
            },
        };
        var json = JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true });
        if (o.Text("out", "-") is var path and not "-")
        {
            await File.WriteAllTextAsync(path, json);
        }
        Console.WriteLine(json);
        return 0;
    }

    private static double? Mb(long? kb) => kb is { } v ? Math.Round(v / 1024.0, 1) : null;

    private static double? Percentile(List<double> sorted, int p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Min(sorted.Count - 1, sorted.Count * p / 100)], 1);

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

internal static class Clients
{
    /// <summary>One connection per stream (HTTP/1.1, as SDKs stream), none shared, no client-side timeout but the driver's own.</summary>
    public static HttpClient Create(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = Math.Max(connections, 1) + 64,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
