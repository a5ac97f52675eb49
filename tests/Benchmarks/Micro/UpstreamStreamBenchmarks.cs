using System.Text;
using BenchmarkDotNet.Attributes;
using Manifold.Contracts;
using Manifold.Contracts.Upstream;
using Manifold.Host.Gateway;

namespace Manifold.Benchmarks.Micro;

/// <summary>
/// What reading an upstream stream costs: one Anthropic answer of 200 text deltas (about 40 KB, the shape the fake upstream
/// streams), read into events by the bounded <see cref="SseReader"/> against the StreamReader.ReadLineAsync reader it
/// replaced (kept here as the baseline), and through the <see cref="CredentialScrubbingStream"/> every upstream body now
/// passes, with the key set of a small deployment (3 keys) and a larger one (32), against the raw body. Reads are 4 KiB,
/// as a socket's would be.
/// </summary>
[MemoryDiagnoser]
public class UpstreamStreamBenchmarks
{
    private byte[] _body = [];
    private CredentialScrubber _threeKeys = null!;
    private CredentialScrubber _thirtyTwoKeys = null!;

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        text.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n");
        for (var i = 0; i < 200; i++)
        {
            text.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello, this is token ").Append(i).Append(" of the answer\"}}\n\n");
        }
        text.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        _body = Encoding.UTF8.GetBytes(text.ToString());
        _threeKeys = new CredentialScrubber(Enumerable.Range(0, 3).Select(static i => $"sk-ant-api03-{i:D4}-abcdefghijklmnopqrstuvwxyz0123456789"));
        _thirtyTwoKeys = new CredentialScrubber(Enumerable.Range(0, 32).Select(static i => $"sk-ant-api03-{i:D4}-abcdefghijklmnopqrstuvwxyz0123456789"));
    }

    [Benchmark(Baseline = true, Description = "StreamReader lines (before)")]
    public Task<int> StreamReaderLines() => CountAsync(LegacySseReader.ReadAsync(new MemoryStream(_body)));

    [Benchmark(Description = "SseReader (bounded, pooled)")]
    public Task<int> BoundedReader() => CountAsync(SseReader.ReadAsync(new MemoryStream(_body)));

    [Benchmark(Description = "raw body, 4 KiB reads")]
    public Task<long> RawBody() => DrainAsync(new MemoryStream(_body));

    [Benchmark(Description = "scrubbed body, 3 keys")]
    public Task<long> Scrubbed3() => DrainAsync(new CredentialScrubbingStream(new MemoryStream(_body), _threeKeys));

    [Benchmark(Description = "scrubbed body, 32 keys")]
    public Task<long> Scrubbed32() => DrainAsync(new CredentialScrubbingStream(new MemoryStream(_body), _thirtyTwoKeys));

    private static async Task<int> CountAsync(IAsyncEnumerable<SseEvent> events)
    {
        var count = 0;
        await foreach (var e in events)
        {
            count += e.Data.Length > 0 ? 1 : 0;
        }
        return count;
    }

    private static async Task<long> DrainAsync(Stream body)
    {
        var buffer = new byte[4096];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }
        return total;
    }

    /// <summary>The reader before the bound, as it was: StreamReader.ReadLineAsync, which holds a whole line however long.</summary>
    private static class LegacySseReader
    {
        public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
            string? eventName = null;
            StringBuilder? data = null;
            while (await reader.ReadLineAsync() is { } line)
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
            if (data is not null)
            {
                yield return new SseEvent(eventName, data.ToString());
            }
        }
    }
}
