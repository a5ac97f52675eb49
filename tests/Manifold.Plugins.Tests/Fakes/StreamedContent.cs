using Manifold.Contracts;

namespace Manifold.Plugins.Tests.Fakes;

/// <summary>
/// Passes requests to the real handler and swaps each response's content for one that records its disposal, so a test can
/// tell whether the adapter released the upstream response.
/// </summary>
internal sealed class TrackingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public TrackedContent? LastContent { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        response.Content = LastContent = new TrackedContent(response.Content);
        return response;
    }
}

internal sealed class TrackedContent : HttpContent
{
    private readonly HttpContent _inner;

    public TrackedContent(HttpContent inner)
    {
        _inner = inner;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    public bool Disposed { get; private set; }

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

    protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Disposed = true;
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>
/// The check every media plugin's download passes: the adapter answers as soon as the upstream's headers arrive (it does
/// not buffer), the bytes come through in order, and disposing the <see cref="BinaryContent"/> releases the upstream response.
/// </summary>
internal static class StreamedContent
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <param name="download">Starts the download; the upstream sends <paramref name="first"/>, then waits for <paramref name="release"/> to send <paramref name="rest"/>.</param>
    public static async Task AssertStreamsThenReleasesAsync(
        Func<Task<BinaryContent>> download, TrackingHandler tracking, byte[] first, byte[] rest, TaskCompletionSource release)
    {
        try
        {
            var content = await download().WaitAsync(Patience);
            Assert.False(content.Content.CanSeek);
            var start = new byte[first.Length];
            await content.Content.ReadExactlyAsync(start).AsTask().WaitAsync(Patience);
            Assert.Equal(first, start);
            Assert.False(tracking.LastContent!.Disposed);

            release.SetResult();
            using var copy = new MemoryStream();
            await content.Content.CopyToAsync(copy);
            Assert.Equal(rest, copy.ToArray());
            Assert.False(tracking.LastContent.Disposed);

            await content.DisposeAsync();
            Assert.True(tracking.LastContent.Disposed);
        }
        finally
        {
            release.TrySetResult();
        }
    }
}
