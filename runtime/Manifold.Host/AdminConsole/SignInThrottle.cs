using System.Collections.Concurrent;
using System.Net;

namespace Manifold.Host.AdminConsole;

/// <summary>
/// Limits failed sign-ins per client address: after <see cref="MaxFailures"/> wrong keys within <see cref="Window"/>, that
/// address is refused (429 with Retry-After) until the window since its first failure ends. A success clears its count.
/// The key is compared in constant time elsewhere; this only makes guessing slow.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private const int MaxTracked = 50_000;

    private readonly ConcurrentDictionary<IPAddress, Failures> _failures = new();

    private sealed class Failures(DateTimeOffset since)
    {
        public DateTimeOffset Since = since;
        public int Count;
    }

    /// <summary>How long <paramref name="client"/> must wait before trying again; zero when it may try now.</summary>
    public TimeSpan RetryAfter(IPAddress? client)
    {
        if (client is null || !_failures.TryGetValue(client, out var failures))
        {
            return TimeSpan.Zero;
        }
        lock (failures)
        {
            var left = failures.Since + Window - time.GetUtcNow();
            return failures.Count >= MaxFailures && left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public void Failed(IPAddress? client)
    {
        if (client is null)
        {
            return;
        }
        var now = time.GetUtcNow();
        if (_failures.Count >= MaxTracked)
        {
            foreach (var (address, stale) in _failures)
            {
                if (stale.Since + Window <= now)
                {
                    _failures.TryRemove(address, out _);
                }
            }
        }
        var failures = _failures.GetOrAdd(client, _ => new Failures(now));
        lock (failures)
        {
            if (failures.Since + Window <= now)
            {
                failures.Since = now;
                failures.Count = 0;
            }
            failures.Count++;
        }
    }

    public void Succeeded(IPAddress? client)
    {
        if (client is not null)
        {
            _failures.TryRemove(client, out _);
        }
    }
}
