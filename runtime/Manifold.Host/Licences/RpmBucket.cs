using System.Diagnostics;

namespace Manifold.Host.Licences;

/// <summary>
/// <c>limits.rpm</c> as a token bucket that holds a minute's requests and refills continuously, computed from the time
/// since the last take instead of by a timer: nothing runs while no request comes.
/// </summary>
internal sealed class RpmBucket
{
    private readonly Lock _lock = new();
    private readonly double _capacity;
    private readonly double _perSecond;
    private readonly double _perTick;
    private double _tokens;
    private long _stamp = Stopwatch.GetTimestamp();

    public RpmBucket(int rpm)
    {
        _capacity = rpm;
        _perSecond = rpm / 60.0;
        _perTick = _perSecond / Stopwatch.Frequency;
        _tokens = rpm;
    }

    /// <summary>Takes one request, or says how long until one is back.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _tokens = Math.Min(_capacity, _tokens + (now - _stamp) * _perTick);
            _stamp = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
            return false;
        }
    }
}
