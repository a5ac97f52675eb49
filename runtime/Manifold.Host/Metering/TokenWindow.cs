namespace Manifold.Host.Metering;

/// <summary>
/// The tokens a licence used in the last minute, for <c>limits.tpm</c>: sixty one-second buckets, each stamped with the
/// second it counts, so a bucket left from an earlier minute reads as empty without anyone clearing it. A request's tokens
/// are known only when it ends, so they land in the second it ended.
/// </summary>
internal sealed class TokenWindow
{
    private const int Seconds = 60;

    private readonly long[] _tokens = new long[Seconds];
    private readonly long[] _stamps = new long[Seconds];
    private readonly Lock _lock = new();

    public TokenWindow()
    {
        // Second 0 is a real second to a fresh array; no bucket may claim it before it is written (halved: no overflow).
        Array.Fill(_stamps, long.MinValue / 2);
    }

    public void Add(long second, long tokens)
    {
        if (tokens <= 0)
        {
            return;
        }
        var i = Index(second);
        lock (_lock)
        {
            if (_stamps[i] != second)
            {
                _stamps[i] = second;
                _tokens[i] = 0;
            }
            _tokens[i] += tokens;
        }
    }

    /// <summary>
    /// Null while the last minute's tokens are under <paramref name="limit"/>; else how long until enough of them are a
    /// minute old for the sum to drop under it (at least a second).
    /// </summary>
    public TimeSpan? Over(long second, long limit)
    {
        lock (_lock)
        {
            var sum = 0L;
            for (var i = 0; i < Seconds; i++)
            {
                if (second - _stamps[i] < Seconds)
                {
                    sum += _tokens[i];
                }
            }
            if (sum < limit)
            {
                return null;
            }
            // Oldest second first: each leaves the window 60 s after it began.
            for (var s = second - Seconds + 1; s <= second; s++)
            {
                var i = Index(s);
                if (_stamps[i] == s)
                {
                    sum -= _tokens[i];
                    if (sum < limit)
                    {
                        return TimeSpan.FromSeconds(Math.Max(1, s + Seconds - second));
                    }
                }
            }
            return TimeSpan.FromSeconds(Seconds);
        }
    }

    private static int Index(long second) => (int)(((second % Seconds) + Seconds) % Seconds);
}
