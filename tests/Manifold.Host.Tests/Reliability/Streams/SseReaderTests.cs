using System.Text;
using Manifold.Contracts;

namespace Manifold.Host.Tests.Reliability.Streams;

/// <summary>
/// The bounded SSE reader every plugin reads upstream streams with: the WHATWG grammar whatever the line ends and however
/// the bytes are split into reads, and a bound that stops a line or event at its size instead of holding it whole.
/// </summary>
public sealed class SseReaderTests
{
    private const string Stream = ": a comment\nevent: first\ndata: {\"a\":1}\n\nevent: second\ndata: line one\ndata: line two\n\ndata: é ✓\n\ndata:no space\n\nid: 7\nretry: 10\ndata: last, with no blank line after it";

    private static readonly (string? Name, string Data)[] Expected =
    [
        ("first", "{\"a\":1}"),
        ("second", "line one\nline two"),
        (null, "é ✓"),
        (null, "no space"),
        (null, "last, with no blank line after it"),
    ];

    public static TheoryData<string, int> Splits()
    {
        var data = new TheoryData<string, int>();
        foreach (var ending in (string[])["\n", "\r\n", "\r"])
        {
            foreach (var chunk in (int[])[1, 2, 3, 7, 4096])
            {
                data.Add(ending, chunk);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public async Task Events_read_alike_whatever_the_line_ends_and_however_the_bytes_arrive(string ending, int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes(Stream.Replace("\n", ending, StringComparison.Ordinal));

        var events = await ReadAllAsync(new TrickleStream(bytes, chunk), 1024);

        Assert.Equal(Expected, events);
    }

    [Fact]
    public async Task A_line_that_never_ends_stops_at_the_bound_not_at_the_end_of_the_body()
    {
        const int Bound = 64 * 1024;
        var body = new TrickleStream(Encoding.ASCII.GetBytes("data: {\"x\":\""), chunk: 4096, endless: 1L << 40);

        await Assert.ThrowsAsync<SseEventTooLargeException>(() => ReadAllAsync(body, Bound));

        // It read about the bound and one read more, not the terabyte behind it.
        Assert.InRange(body.BytesRead, Bound, Bound + 16 * 1024);
    }

    [Fact]
    public async Task An_event_whose_lines_together_pass_the_bound_is_refused()
    {
        var lines = string.Concat(Enumerable.Repeat("data: " + new string('x', 1000) + "\n", 10));

        await Assert.ThrowsAsync<SseEventTooLargeException>(() => ReadAllAsync(new TrickleStream(Encoding.ASCII.GetBytes(lines + "\n"), 512), 8 * 1024));
        // The same event fits a bound above its size.
        var events = await ReadAllAsync(new TrickleStream(Encoding.ASCII.GetBytes(lines + "\n"), 512), 16 * 1024);
        Assert.Equal(10 * 1000 + 9, Assert.Single(events).Data.Length);
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF8_become_replacement_characters_not_an_exception()
    {
        byte[] bytes = [.. "data: a"u8, 0xff, 0xfe, .. "b\n\n"u8];

        var events = await ReadAllAsync(new TrickleStream(bytes, 3), 1024);

        Assert.Equal("a\uFFFD\uFFFDb", Assert.Single(events).Data);
    }

    private static async Task<List<(string? Name, string Data)>> ReadAllAsync(Stream stream, int bound)
    {
        var events = new List<(string?, string)>();
        await foreach (var e in SseReader.ReadAsync(stream, bound))
        {
            events.Add((e.Event, e.Data));
        }
        return events;
    }
}
