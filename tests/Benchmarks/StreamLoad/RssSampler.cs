namespace Manifold.Benchmarks.StreamLoad;

/// <summary>
/// Samples a process's resident memory from <c>/proc/{pid}/status</c> (VmRSS now, VmHWM the kernel's own peak) every
/// 250 ms, with how many streams the driver had open at that moment, so steady and peak figures can be told apart.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    public readonly record struct Sample(double Seconds, long RssKb, long HwmKb, int Open);

    private readonly int _pid;
    private readonly Func<int> _open;
    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly DateTime _start = DateTime.UtcNow;

    public RssSampler(int pid, Func<int> open)
    {
        _pid = pid;
        _open = open;
        _loop = Task.Run(LoopAsync);
    }

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public static (long RssKb, long HwmKb)? Read(int pid)
    {
        try
        {
            long rss = -1, hwm = -1;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kb(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kb(line);
                }
            }
            return rss < 0 ? null : (rss, hwm);
        }
        catch (IOException)
        {
            return null; // the process is gone
        }
    }

    private static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        do
        {
            if (Read(_pid) is { } now)
            {
                lock (_samples)
                {
                    _samples.Add(new((DateTime.UtcNow - _start).TotalSeconds, now.RssKb, now.HwmKb, _open()));
                }
            }
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
