using System.Collections.Concurrent;
using System.Text.Json;

namespace Manifold.Benchmarks.StreamLoad;

/// <summary>What reached the slow upstream, so a run can check the gateway really called it (and how often).</summary>
internal static class UpstreamStats
{
    private static readonly ConcurrentDictionary<string, long> Counts = new(StringComparer.Ordinal);
    private static long s_open;
    private static long s_peakOpen;

    public static void Count(string what) => Counts.AddOrUpdate(what, 1, (_, n) => n + 1);

    public static void StreamOpened()
    {
        var open = Interlocked.Increment(ref s_open);
        long peak;
        while (open > (peak = Interlocked.Read(ref s_peakOpen)) && Interlocked.CompareExchange(ref s_peakOpen, open, peak) != peak)
        {
        }
    }

    public static void StreamClosed() => Interlocked.Decrement(ref s_open);

    public static string Json() => JsonSerializer.Serialize(new
    {
        counts = new SortedDictionary<string, long>(Counts, StringComparer.Ordinal),
        open_streams = Interlocked.Read(ref s_open),
        peak_open_streams = Interlocked.Read(ref s_peakOpen),
    });
}
