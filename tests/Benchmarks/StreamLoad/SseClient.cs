using System.Text;

namespace Manifold.Benchmarks.StreamLoad;

/// <summary>Reads a <c>text/event-stream</c> body to its end, every byte, handing each event to the protocol's reader.</summary>
internal static class SseClient
{
    /// <summary>A string no answer may contain (the upstream account's key, in the reliability run); null: not checked.</summary>
    public static string? Secret;

    public static async Task ReadAsync(Stream body, Inbound inbound, StreamResult into, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, false, 4096);
        string? eventName = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            into.Bytes += Encoding.UTF8.GetByteCount(line) + 1;
            if (Secret is not null && line.Contains(Secret, StringComparison.Ordinal))
            {
                into.Leaked = true;
            }
            if (line.Length == 0)
            {
                if (hasData)
                {
                    into.Events++;
                    if (!inbound.Read(eventName, data.ToString(), into))
                    {
                        into.Error = true;
                    }
                }
                eventName = null;
                data.Clear();
                hasData = false;
                continue;
            }
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (hasData)
                {
                    data.Append('\n');
                }
                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
                hasData = true;
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventName = line[6..].Trim();
            }
        }
        if (hasData)
        {
            into.Events++;
            if (!inbound.Read(eventName, data.ToString(), into))
            {
                into.Error = true;
            }
        }
    }
}
