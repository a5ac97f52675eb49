using System.Text;
using Manifold.Contracts.Upstream;
using Manifold.Host.Gateway;

namespace Manifold.Host.Tests.Reliability.Streams;

/// <summary>
/// The scrubber every upstream body is read through: a key is masked wherever the reads split it, nothing else changes,
/// and a possible start of a key is held back only until the next bytes tell.
/// </summary>
public sealed class CredentialScrubbingTests
{
    private const string Key = "sk-scrub-0123456789abcdef";
    private const string Other = "AIzaOther-0123456789";

    private static readonly CredentialScrubber Scrubber = new([Key, Other, "short"]);

    // Past four keys the scrubber searches for all at once (bytes widened to Latin-1): the same answers are expected.
    private static readonly CredentialScrubber ManyKeys = new([Key, Other, "short", .. Enumerable.Range(0, 30).Select(static i => $"sk-scrub-{i:D4}-zzzzzzzz")]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_key_split_at_any_point_across_two_reads_is_masked_and_nothing_else_changes(bool manyKeys)
    {
        var text = $"data: {{\"error\":\"bad key {Key}, also {Other}; sk-scrub is not a key\"}}\n\n";
        var expected = text.Replace(Key, new string('*', Key.Length), StringComparison.Ordinal).Replace(Other, new string('*', Other.Length), StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var split = 1; split < bytes.Length; split++)
        {
            var read = await ReadAllAsync(new SplitStream(bytes, split), 4096, manyKeys ? ManyKeys : Scrubber);
            Assert.Equal(expected, read);
        }
    }

    [Theory]
    [InlineData(1, 4096, false)]
    [InlineData(3, 4096, false)]
    [InlineData(4096, 1, false)]
    [InlineData(4096, 5, false)]
    [InlineData(1, 1, false)]
    [InlineData(1, 4096, true)]
    [InlineData(4096, 5, true)]
    public async Task A_dripping_body_and_a_small_buffer_are_masked_alike(int chunk, int buffer, bool manyKeys)
    {
        var text = $"{Key}{Key} sk-scrub-0123 {Other}" + Key[..10];
        var expected = new string('*', Key.Length * 2) + " sk-scrub-0123 " + new string('*', Other.Length) + Key[..10];

        var read = await ReadAllAsync(new TrickleStream(Encoding.UTF8.GetBytes(text), chunk), buffer, manyKeys ? ManyKeys : Scrubber);

        // The body ended on the start of a key: held back until the end told it was no key, then delivered as it was.
        Assert.Equal(expected, read);
    }

    [Fact]
    public void Text_is_scrubbed_and_short_keys_are_left_alone()
    {
        Assert.Equal($"a [redacted] b [redacted] short", Scrubber.Scrub($"a {Key} b {Other} short"));
        var clean = "nothing secret";
        Assert.Same(clean, Scrubber.Scrub(clean));
    }

    private static async Task<string> ReadAllAsync(Stream inner, int bufferSize, CredentialScrubber scrubber)
    {
        await using var scrubbing = new CredentialScrubbingStream(inner, scrubber);
        var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int read;
        while ((read = await scrubbing.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>Two reads: the bytes before <c>split</c>, then the rest.</summary>
    private sealed class SplitStream(byte[] data, int split) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var end = _position < split ? split : data.Length;
            var n = Math.Min(count, end - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
