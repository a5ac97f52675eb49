namespace Manifold.Contracts.Upstream;

/// <summary>
/// The body of a 2xx upstream response, read as it arrives (never buffered), that owns the response: disposing the stream
/// disposes the <see cref="HttpResponseMessage"/> and so releases its connection. A connection that breaks mid-body becomes
/// <see cref="UpstreamException.Unreachable"/>, as everywhere else in the upstream plumbing. Plugins return it inside a
/// <see cref="BinaryContent"/> (a video, an image) that the host copies and disposes.
/// </summary>
public sealed class UpstreamResponseStream(HttpResponseMessage response, Stream body, string platform) : Stream
{
    private int _disposed;

    /// <summary>The response's body as a stream that owns the response; the response is disposed if opening the body fails.</summary>
    public static async Task<UpstreamResponseStream> OpenAsync(HttpResponseMessage response, string platform, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new UpstreamResponseStream(response, body, platform);
        }
        catch (Exception ex)
        {
            response.Dispose();
            if (UpstreamFailures.IsConnectionFailure(ex, cancellationToken))
            {
                throw UpstreamException.Unreachable(platform, ex);
            }
            throw;
        }
    }

    public override bool CanRead => body.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        try
        {
            return body.Read(buffer);
        }
        catch (Exception ex) when (UpstreamFailures.IsConnectionFailure(ex, CancellationToken.None) && !IsDisposed)
        {
            throw UpstreamException.Unreachable(platform, ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        try
        {
            return await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (UpstreamFailures.IsConnectionFailure(ex, cancellationToken) && !IsDisposed)
        {
            throw UpstreamException.Unreachable(platform, ex);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            body.Dispose();
            response.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await body.DisposeAsync().ConfigureAwait(false);
            response.Dispose();
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
