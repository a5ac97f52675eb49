namespace Manifold.Host.Tests.Reliability.Streams;

/// <summary>
/// A read-only stream that hands out its bytes at most <c>chunk</c> at a time (1: one byte per read, as a dripping
/// upstream's socket would), optionally followed by an endless run of one byte, produced as it is read and never stored.
/// Counts what was read, so a test can tell how far a reader went.
/// </summary>
internal sealed class TrickleStream(byte[] data, int chunk, long endless = 0, byte filler = (byte)'A') : Stream
{
    private long _position;

    public long BytesRead => _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = data.Length + endless;
        var count = (int)Math.Min(Math.Min(buffer.Length, chunk), total - _position);
        for (var i = 0; i < count; i++)
        {
            var at = _position + i;
            buffer[i] = at < data.Length ? data[at] : filler;
        }
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
