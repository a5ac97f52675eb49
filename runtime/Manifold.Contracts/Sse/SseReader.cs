using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace Manifold.Contracts;

/// <summary>
/// Reads a <c>text/event-stream</c> body as events arrive (WHATWG grammar: <c>data:</c> lines joined with
/// newlines, a blank line dispatches, <c>:</c> lines are comments, lines end with LF, CRLF or CR). Plugins use it
/// for upstream streams so nothing is buffered beyond the current event, and that event is bounded: a line or an
/// event larger than <c>maxEventBytes</c> is a <see cref="SseEventTooLargeException"/> once that many bytes are
/// held, never a buffer that grows with whatever the upstream sends.
/// </summary>
public static class SseReader
{
    /// <summary>
    /// 16 MiB: a Gemini stream carries a generated image inline as base64 in one event (a 4K PNG is a few MiB of
    /// base64), so the bound sits well above any real event and still far below what would hurt the host.
    /// </summary>
    public const int DefaultMaxEventBytes = 16 * 1024 * 1024;

    // Reads of 4 KiB from the pool: a text stream's events are small, and an idle stream holds one segment at most.
    private static readonly StreamPipeReaderOptions PipeOptions = new(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true);

    public static IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, CancellationToken cancellationToken = default) =>
        ReadAsync(stream, DefaultMaxEventBytes, cancellationToken);

    /// <summary>The events of <paramref name="stream"/>, each at most <paramref name="maxEventBytes"/> bytes of UTF-8 (its lines too).</summary>
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, int maxEventBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 1);
        var reader = PipeReader.Create(stream, PipeOptions);
        var state = new EventState(maxEventBytes);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                SseEvent? dispatched;
                // One event per pass at most: it is yielded (which cannot happen inside a ref-struct scope) before reading on.
                while ((dispatched = state.NextEvent(ref buffer, result.IsCompleted)) is null && state.LineEnded)
                {
                }
                // After an event, what is left may hold more whole lines: the next read returns it at once (examined up to the
                // consumed point). Otherwise every byte was looked at, and the next read waits for new ones.
                reader.AdvanceTo(buffer.Start, dispatched is null ? buffer.End : buffer.Start);
                if (dispatched is { } ready)
                {
                    yield return ready;
                    continue;
                }
                if (result.IsCompleted)
                {
                    break;
                }
            }
            // A stream that ends without the final blank line still delivered its last event.
            if (state.Flush() is { } last)
            {
                yield return last;
            }
        }
        finally
        {
            state.Dispose();
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The event being assembled: its name and its data lines, in a pooled buffer that is returned when the stream ends.</summary>
    private sealed class EventState(int maxEventBytes) : IDisposable
    {
        private byte[]? _data;
        private int _dataLength;
        private bool _hasData;
        // How much of the unconsumed buffer is known to hold no line end.
        private long _scanned;
        private string? _eventName;
        // Event names repeat (content_block_delta, ...): the last one is reused when the bytes match, instead of a new string each.
        private string? _lastName;
        private byte[]? _lastNameBytes;

        /// <summary>Whether the last call consumed a whole line (so another may follow in the same buffer).</summary>
        public bool LineEnded { get; private set; }

        /// <summary>
        /// Consumes whole lines from <paramref name="buffer"/>; returns an event when a blank line dispatched one. Past the
        /// bound without a line end, throws: what is held never grows past <c>maxEventBytes</c> plus one read.
        /// </summary>
        public SseEvent? NextEvent(ref ReadOnlySequence<byte> buffer, bool completed)
        {
            LineEnded = false;
            if (buffer.IsEmpty)
            {
                return null;
            }
            ReadOnlySequence<byte> line;
            if (FindLineEnd(buffer, completed) is not { } end)
            {
                if (buffer.Length > maxEventBytes)
                {
                    throw new SseEventTooLargeException(maxEventBytes);
                }
                if (!completed)
                {
                    return null;
                }
                // The body ended inside a line: it is the last line.
                line = buffer;
                buffer = buffer.Slice(buffer.End);
            }
            else
            {
                line = buffer.Slice(0, end.LineLength);
                buffer = buffer.Slice(end.LineLength + end.TerminatorLength);
            }
            _scanned = 0;
            LineEnded = true;
            if (line.Length > maxEventBytes)
            {
                throw new SseEventTooLargeException(maxEventBytes);
            }
            if (line.IsSingleSegment)
            {
                return Line(line.FirstSpan);
            }
            // A line across two of the pipe's segments (a few in a hundred): joined in a pooled buffer, not a new array.
            var joined = ArrayPool<byte>.Shared.Rent((int)line.Length);
            try
            {
                line.CopyTo(joined);
                return Line(joined.AsSpan(0, (int)line.Length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(joined);
            }
        }

        /// <summary>The event still open when the body ended, if it has data.</summary>
        public SseEvent? Flush() => Dispatch();

        private SseEvent? Line(ReadOnlySpan<byte> line)
        {
            if (line.IsEmpty)
            {
                return Dispatch();
            }
            if (line[0] == (byte)':')
            {
                return null;
            }
            var colon = line.IndexOf((byte)':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? [] : line[(colon + 1)..];
            if (value.Length > 0 && value[0] == (byte)' ')
            {
                value = value[1..];
            }
            if (field.SequenceEqual("data"u8))
            {
                AppendData(value);
            }
            else if (field.SequenceEqual("event"u8))
            {
                _eventName = Name(value);
            }
            return null;
        }

        private void AppendData(ReadOnlySpan<byte> value)
        {
            var needed = _dataLength + (_hasData ? 1 : 0) + value.Length;
            if (needed > maxEventBytes)
            {
                throw new SseEventTooLargeException(maxEventBytes);
            }
            if (_data is null || _data.Length < needed)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 256));
                if (_data is not null)
                {
                    _data.AsSpan(0, _dataLength).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_data);
                }
                _data = larger;
            }
            if (_hasData)
            {
                _data[_dataLength++] = (byte)'\n';
            }
            value.CopyTo(_data.AsSpan(_dataLength));
            _dataLength += value.Length;
            _hasData = true;
        }

        private SseEvent? Dispatch()
        {
            SseEvent? dispatched = _hasData ? new SseEvent(_eventName, Encoding.UTF8.GetString(_data!, 0, _dataLength)) : null;
            _eventName = null;
            _dataLength = 0;
            _hasData = false;
            // A large event's buffer goes back at once, so a stream that sent one big image does not keep holding it.
            if (_data is { Length: > 64 * 1024 })
            {
                ArrayPool<byte>.Shared.Return(_data);
                _data = null;
            }
            return dispatched;
        }

        private string Name(ReadOnlySpan<byte> value)
        {
            if (_lastNameBytes is not null && value.SequenceEqual(_lastNameBytes))
            {
                return _lastName!;
            }
            _lastNameBytes = value.ToArray();
            return _lastName = Encoding.UTF8.GetString(value);
        }

        /// <summary>
        /// Where the first line of <paramref name="buffer"/> ends (LF, CRLF or CR), or null when no line end has arrived. A CR
        /// at the very end of what has arrived waits for the next byte (CRLF split across reads), unless the body ended.
        /// Bytes already searched are not searched again, so a line that arrives in many reads costs one pass, not one per read.
        /// </summary>
        private (long LineLength, int TerminatorLength)? FindLineEnd(in ReadOnlySequence<byte> buffer, bool completed)
        {
            var reader = new SequenceReader<byte>(buffer.Slice(_scanned));
            if (!reader.TryAdvanceToAny("\r\n"u8, advancePastDelimiter: false))
            {
                _scanned = buffer.Length;
                return null;
            }
            var lineLength = _scanned + reader.Consumed;
            reader.TryRead(out var terminator);
            if (terminator == (byte)'\n')
            {
                return (lineLength, 1);
            }
            if (reader.End && !completed)
            {
                _scanned = lineLength;
                return null;
            }
            return (lineLength, reader.IsNext((byte)'\n') ? 2 : 1);
        }

        public void Dispose()
        {
            if (_data is not null)
            {
                ArrayPool<byte>.Shared.Return(_data);
                _data = null;
            }
        }
    }
}
