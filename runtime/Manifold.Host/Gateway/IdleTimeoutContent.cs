using System.Net;
using Manifold.Contracts;
using Manifold.Contracts.Upstream;

namespace Manifold.Host.Gateway;

/// <summary>
/// A response body whose every read must complete within the idle timeout, with every account key masked
/// (<see cref="CredentialScrubbingStream"/>), and which carries the <see cref="UpstreamLimits"/> plugins read it under;
/// the headers are the inner content's.
/// </summary>
internal sealed class IdleTimeoutContent : HttpContent, IUpstreamLimitedContent
{
    private readonly HttpContent _inner;
    private readonly TimeSpan _idle;
    private readonly CredentialScrubber _scrubber;

    public IdleTimeoutContent(HttpContent inner, TimeSpan idle, UpstreamLimits limits, CredentialScrubber scrubber)
    {
        _inner = inner;
        _idle = idle;
        _scrubber = scrubber;
        Limits = limits;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    public UpstreamLimits Limits { get; }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        var body = new IdleTimeoutStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _idle);
        return _scrubber.IsEmpty ? body : new CredentialScrubbingStream(body, _scrubber);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var body = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        // The inner content's: asking our own Headers.ContentLength of a body without one would ask this method again, for ever.
        var known = _inner.Headers.ContentLength;
        length = known ?? 0;
        return known is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// Reads through to the upstream body with one timer per stream, restarted by each read (YARP's activity
    /// timeout): a silent upstream surfaces as <see cref="UpstreamTimeoutException"/> instead of a hang.
    /// </summary>
    private sealed class IdleTimeoutStream(Stream inner, TimeSpan idle) : Manifold.IO.ReadThroughStream(inner)
    {
        private CancellationTokenSource _timer = new();

        // Every chunk of every relayed stream comes through here: the state machine is pooled, and the caller's token
        // cancels the timer through a registration (pooled by its source) rather than a linked source per read.
        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_timer.TryReset())
            {
                _timer.Dispose();
                _timer = new CancellationTokenSource();
            }
            _timer.CancelAfter(idle);
            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static timer => ((CancellationTokenSource)timer!).Cancel(), _timer)
                : default;
            try
            {
                return await Inner.ReadAsync(buffer, _timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller's cancellation, reported as the caller's (its token), not as the timer's.
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OperationCanceledException) when (_timer.IsCancellationRequested)
            {
                throw new UpstreamTimeoutException(UpstreamTimeoutPhase.Idle, idle);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _timer.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            _timer.Dispose();
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
