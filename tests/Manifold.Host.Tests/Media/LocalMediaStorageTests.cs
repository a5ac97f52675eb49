using System.Text;
using Manifold.Host.Media;

namespace Manifold.Host.Tests.Media;

public sealed class LocalMediaStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-media-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_saved_file_reads_back_with_its_type_and_length_and_is_seekable_for_ranges()
    {
        var storage = new LocalMediaStorage(_root);
        var bytes = Encoding.ASCII.GetBytes("\0\0\0\x18ftypisom-not-a-real-video");

        var length = await storage.SaveAsync(MediaKeys.For("video_abc", "video.mp4"), "video/mp4", new MemoryStream(bytes));
        await using var read = await storage.OpenAsync("video_abc/video.mp4");

        Assert.Equal(bytes.Length, length);
        Assert.NotNull(read);
        Assert.Equal(("video/mp4", (long)bytes.Length, true), (read.ContentType, read.Length, read.Content.CanSeek));
        var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "video_abc"), "*.partial-*"));
    }

    [Fact]
    public async Task Deleting_a_jobs_prefix_removes_all_its_files()
    {
        var storage = new LocalMediaStorage(_root);
        await storage.SaveAsync("video_abc/video.mp4", "video/mp4", new MemoryStream([1, 2, 3]));
        await storage.SaveAsync("video_abc/thumbnail.png", "image/png", new MemoryStream([4]));
        await storage.SaveAsync("video_def/video.mp4", "video/mp4", new MemoryStream([5]));

        await storage.DeleteAsync("video_abc/");

        Assert.Null(await storage.OpenAsync("video_abc/video.mp4"));
        Assert.Null(await storage.OpenAsync("video_abc/thumbnail.png"));
        await using var other = await storage.OpenAsync("video_def/video.mp4");
        Assert.NotNull(other);
    }

    [Fact]
    public async Task A_failed_copy_leaves_nothing_behind()
    {
        var storage = new LocalMediaStorage(_root);

        await Assert.ThrowsAsync<IOException>(() => storage.SaveAsync("video_abc/video.mp4", "video/mp4", new BreakingStream()));

        Assert.Null(await storage.OpenAsync("video_abc/video.mp4"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "video_abc")));
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("/etc/passwd")]
    [InlineData("video_abc/../../x")]
    [InlineData("video_abc\\x")]
    [InlineData("")]
    public async Task Keys_cannot_leave_the_folder(string key)
    {
        var storage = new LocalMediaStorage(_root);

        await Assert.ThrowsAsync<ArgumentException>(() => storage.OpenAsync(key));
    }

    private sealed class BreakingStream : MemoryStream
    {
        private int _reads;

        public BreakingStream()
            : base(new byte[100_000])
        {
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ++_reads > 1 ? throw new IOException("The upstream connection broke.") : base.ReadAsync(buffer[..10], cancellationToken);
    }
}
