using System.Runtime.CompilerServices;
using System.Text;

namespace Manifold.Contracts;

/// <summary>
/// Reads a <c>text/event-stream</c> body as events arrive (WHATWG grammar: <c>data:</c> lines joined with
/// newlines, a blank line dispatches, <c>:</c> lines are comments). Plugins use it for upstream streams so
/// nothing is buffered beyond the current event.
/// </summary>
public static class SseReader
{
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        string? eventName = null;
        StringBuilder? data = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    yield return new SseEvent(eventName, data.ToString());
                }
                eventName = null;
                data = null;
                continue;
            }
            if (line[0] == ':')
            {
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.Length > 0 && value[0] == ' ')
            {
                value = value[1..];
            }
            switch (field)
            {
                case "data":
                    if (data is null)
                    {
                        data = new StringBuilder(value);
                    }
                    else
                    {
                        data.Append('\n').Append(value);
                    }
                    break;
                case "event":
                    eventName = value;
                    break;
            }
        }
        // A stream that ends without the final blank line still delivered its last event.
        if (data is not null)
        {
            yield return new SseEvent(eventName, data.ToString());
        }
    }
}
