using Manifold.Contracts;

namespace Manifold.Contracts.Upstream;

/// <summary>
/// The events of an upstream <c>text/event-stream</c> body, read one at a time as they arrive, ended by the
/// body's end or by <paramref name="doneMarker"/> (OpenAI's <c>data: [DONE]</c>; null for protocols without
/// one, such as Anthropic's and Gemini's). A connection that breaks mid-stream becomes
/// <see cref="UpstreamException.Unreachable"/>; a stream left unfinished is aborted on dispose, so the
/// upstream stops generating (and billing) tokens nobody reads.
/// </summary>
public sealed class UpstreamEventStream(HttpResponseMessage response, string platform, CancellationToken cancellationToken, string? doneMarker = "[DONE]") : IAsyncDisposable
{
    // Bounds the reads that only consume already-buffered data before one has to wait and can be cancelled.
    private const int MaxAbortReads = 64;

    private Stream? _body;
    private IAsyncEnumerator<SseEvent>? _events;
    private bool _ended;

    /// <summary>Whether the stream ended with the done marker (rather than the body simply ending).</summary>
    public bool SawDoneMarker { get; private set; }

    /// <summary>The next event's data, or null once the stream is over.</summary>
    public async ValueTask<string?> NextAsync() => (await NextEventAsync().ConfigureAwait(false))?.Data;

    /// <summary>The next event with data (its name and data), or null once the stream is over.</summary>
    public async ValueTask<SseEvent?> NextEventAsync()
    {
        try
        {
            _body ??= await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            // Bounded: a line or event past Manifold:Gateway:Limits:MaxStreamEventBytes ends the stream, never a growing buffer.
            _events ??= SseReader.ReadAsync(_body, UpstreamLimits.Of(response.Content).MaxStreamEventBytes, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (await _events.MoveNextAsync().ConfigureAwait(false))
            {
                var current = _events.Current;
                if (doneMarker is not null && current.Data == doneMarker)
                {
                    _ended = true;
                    SawDoneMarker = true;
                    return null;
                }
                if (current.Data.Length > 0)
                {
                    return current;
                }
            }
            // The body ended without the done marker. OpenAI always sends it, some compatible servers do not: whether the answer
            // is whole is for the plugin to tell from the protocol's final event (a finish_reason, message_stop, ...).
            _ended = true;
            return null;
        }
        catch (SseEventTooLargeException tooLarge)
        {
            throw UpstreamException.EventTooLarge(platform, tooLarge.MaxEventBytes);
        }
        catch (Exception ex) when (UpstreamFailures.IsConnectionFailure(ex, cancellationToken))
        {
            throw UpstreamException.Unreachable(platform, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_events is not null)
        {
            await _events.DisposeAsync().ConfigureAwait(false);
        }
        if (_body is not null)
        {
            if (!_ended)
            {
                await AbortAsync(_body).ConfigureAwait(false);
            }
            await _body.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Drops the connection under a body that has not ended (the client left, or the stream failed). Disposing
    /// the body alone makes SocketsHttpHandler drain it for up to MaxResponseDrainTime (2 s by default) to reuse
    /// the connection for HTTP/1.1, while the upstream goes on generating, and billing, tokens nobody reads.
    /// A read cancelled while in flight makes the handler close the connection at once instead.
    /// </summary>
    private static async ValueTask AbortAsync(Stream body)
    {
        var buffer = new byte[4096];
        for (var i = 0; i < MaxAbortReads; i++)
        {
            using var abort = new CancellationTokenSource();
            try
            {
                var read = body.ReadAsync(buffer, abort.Token);
                // No effect on a read that completed from buffered data; the loop then tries the next one.
                await abort.CancelAsync().ConfigureAwait(false);
                if (await read.ConfigureAwait(false) == 0)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
            {
                // Cancelled in flight, or the connection was already broken: either way it is gone.
                return;
            }
        }
    }
}
