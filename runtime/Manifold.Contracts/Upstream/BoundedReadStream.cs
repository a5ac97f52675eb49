namespace Manifold.Contracts.Upstream;

/// <summary>
/// Reads through to an upstream body and fails with <see cref="UpstreamException.ResponseTooLarge"/> once more than
/// <c>maxBytes</c> have arrived: what a reader that holds the whole answer (a JSON deserializer) can be made to hold.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long maxBytes, string platform) : Manifold.IO.ReadThroughStream(inner)
{
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Count(Inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(Inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    private int Count(int read)
    {
        _read += read;
        return _read > maxBytes ? throw UpstreamException.ResponseTooLarge(platform, maxBytes) : read;
    }
}
