namespace Manifold.Host.Shutdown;

/// <summary>
/// The streams a stopping gateway waits for. Each relayed stream runs on a token from <see cref="Track"/>, which the
/// client's leaving or the end of the drain (<see cref="End"/>, when <c>Manifold__Gateway__DrainTimeout</c> has passed)
/// cancels: the relay then ends the stream with an error event in the client's protocol instead of being cut off when
/// the host aborts the connection.
/// </summary>
public sealed class StreamDrain : IDisposable
{
    private readonly CancellationTokenSource _ended = new();
    private int _open;

    /// <summary>A drain that never ends, for a runtime built without the shutdown services (tests of generated code).</summary>
    public static StreamDrain Never { get; } = new();

    /// <summary>True once the drain timeout has passed: what a stream fails with from then on is the shutdown.</summary>
    public bool HasEnded => _ended.IsCancellationRequested;

    /// <summary>Streams being relayed now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>
    /// A token for one stream, cancelled when <paramref name="aborted"/> is or the drain ends; dispose it when the stream is
    /// over. One linked source per stream (a stream allocates far more than that), nothing per event.
    /// </summary>
    public Tracked Track(CancellationToken aborted)
    {
        Interlocked.Increment(ref _open);
        return new Tracked(this, CancellationTokenSource.CreateLinkedTokenSource(aborted, _ended.Token));
    }

    /// <summary>Ends every stream still open, and any opened from now on.</summary>
    internal void End() => _ended.Cancel();

    public void Dispose() => _ended.Dispose();

    /// <summary>One stream's token; disposing it counts the stream out.</summary>
    public readonly struct Tracked : IDisposable
    {
        private readonly StreamDrain? _drain;
        private readonly CancellationTokenSource? _source;

        internal Tracked(StreamDrain drain, CancellationTokenSource source)
        {
            _drain = drain;
            _source = source;
        }

        public CancellationToken Token => _source?.Token ?? CancellationToken.None;

        public void Dispose()
        {
            if (_drain is null)
            {
                return;
            }
            _source!.Dispose();
            Interlocked.Decrement(ref _drain._open);
        }
    }
}
