namespace Manifold.Host.Licences;

/// <summary><c>limits.concurrency</c>: requests in flight, counted in and out with interlocked operations.</summary>
internal sealed class InFlight(int limit)
{
    private int _count;

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= limit)
        {
            return true;
        }
        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _count);
}
