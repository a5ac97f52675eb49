using System.Runtime.CompilerServices;
using Manifold.Contracts.Upstream;

namespace Manifold.Host.Gateway;

/// <summary>
/// An upstream body with every account key masked as it is read, whatever the bytes are (an error body, a stream event,
/// an unknown field, a JSON answer), so no plugin and no protocol direction can relay one. Masking is in place and keeps
/// lengths, so framing and JSON stay intact. A read whose last bytes could begin a key (<see cref="CredentialScrubber.HeldBackLength"/>)
/// holds them back until the next read tells; a relayed chunk ends in a newline or a brace, so in practice nothing waits.
/// </summary>
internal sealed class CredentialScrubbingStream(Stream inner, CredentialScrubber scrubber) : Manifold.IO.ReadThroughStream(inner)
{
    // Bytes read but not yet delivered: [0, _ready) are masked and free to go, [_ready, _ready + _held) may begin a key.
    private byte[]? _pending;
    private int _ready;
    private int _held;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (true)
        {
            if (_ready > 0)
            {
                return Deliver(buffer.Span);
            }
            if (_held == 0 && buffer.Length >= scrubber.MaxKeyBytes)
            {
                // The usual case: straight into the caller's buffer, masked there.
                var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return 0;
                }
                var span = buffer.Span[..read];
                scrubber.Mask(span);
                var hold = scrubber.HeldBackLength(span);
                if (hold == 0)
                {
                    return read;
                }
                span[^hold..].CopyTo(Pending());
                _held = hold;
                if (read > hold)
                {
                    return read - hold;
                }
                continue;
            }
            // Held bytes (or a caller's buffer too small to tell a key in): read on behind them in our own small buffer.
            var pending = Pending();
            var more = await Inner.ReadAsync(pending.AsMemory(_held), cancellationToken).ConfigureAwait(false);
            if (more == 0)
            {
                // The body ended: what was held was never a whole key.
                (_ready, _held) = (_held, 0);
                if (_ready == 0)
                {
                    return 0;
                }
                continue;
            }
            var total = _held + more;
            scrubber.Mask(pending.AsSpan(0, total));
            var kept = scrubber.HeldBackLength(pending.AsSpan(0, total));
            (_ready, _held) = (total - kept, kept);
        }
    }

    /// <summary>Room for a held key prefix and at least as much again read behind it, so a key split anywhere is seen whole.</summary>
    private byte[] Pending() => _pending ??= new byte[Math.Max(64, scrubber.MaxKeyBytes * 2)];

    private int Deliver(Span<byte> buffer)
    {
        var count = Math.Min(_ready, buffer.Length);
        _pending.AsSpan(0, count).CopyTo(buffer);
        // What is left (ready bytes the caller had no room for, then the held ones) moves to the front.
        _pending.AsSpan(count, _ready - count + _held).CopyTo(_pending);
        _ready -= count;
        return count;
    }
}
