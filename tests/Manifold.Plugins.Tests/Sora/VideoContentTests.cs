using Manifold.Contracts;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Sora;

public sealed class VideoContentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("video", "video/mp4")]
    [InlineData("thumbnail", "image/webp")]
    [InlineData("spritesheet", "image/jpeg")]
    public async Task Downloads_a_variant_with_its_type_and_length(string variant, string contentType)
    {
        var bytes = TempFilePart.RandomBytes(300_000);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos/{id}/content", (HttpContext http) =>
        {
            http.Response.Headers["x-request-id"] = "req_content_1";
            return Results.Bytes(bytes, contentType);
        }));
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        var context = TestPlatforms.Context();

        await using var content = await platform.RetrieveVideoContentAsync("video_123", variant, context, CancellationToken.None);
        using var copy = new MemoryStream();
        await content.Content.CopyToAsync(copy);

        var sent = upstream.SingleRequest;
        Assert.Equal("GET", sent.Method);
        Assert.Equal($"/v1/videos/video_123/content?variant={variant}", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("application/binary", sent.Header("Accept"));
        Assert.Equal("req_content_1", context.UpstreamRequestId);
        Assert.Equal(contentType, content.ContentType);
        Assert.Equal(bytes.Length, content.Length);
        Assert.Equal(SoraFakes.Sha256(bytes), SoraFakes.Sha256(copy.ToArray()));
    }

    [Fact]
    public async Task The_body_is_streamed_as_it_arrives_and_the_response_is_released_with_the_content()
    {
        var first = TempFilePart.RandomBytes(64 * 1024);
        var rest = TempFilePart.RandomBytes(256 * 1024);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos/{id}/content", async (HttpContext http) =>
        {
            http.Response.ContentType = "video/mp4";
            http.Response.ContentLength = first.Length + rest.Length;
            await http.Response.Body.WriteAsync(first);
            await http.Response.Body.FlushAsync();
            // The rest only once the test has read the start: a plugin that buffered the body would never return.
            await release.Task.WaitAsync(Patience);
            await http.Response.Body.WriteAsync(rest);
        }));
        var tracking = new TrackingHandler();
        using var http = new HttpClient(tracking);
        var platform = SoraFakes.Platform(upstream.BaseUrl, http);

        await StreamedContent.AssertStreamsThenReleasesAsync(async () =>
        {
            var content = await platform.RetrieveVideoContentAsync("video_123", "video", TestPlatforms.Context(), CancellationToken.None);
            Assert.Equal(("video/mp4", (long?)(first.Length + rest.Length)), (content.ContentType, content.Length));
            return content;
        }, tracking, first, rest, release);
    }

    [Fact]
    public async Task Content_disposed_before_its_end_releases_the_response()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos/{id}/content", async (HttpContext http) =>
        {
            http.Response.ContentType = "video/mp4";
            await http.Response.Body.WriteAsync(TempFilePart.RandomBytes(1024));
            await http.Response.Body.FlushAsync();
            await release.Task.WaitAsync(Patience);
        }));
        var tracking = new TrackingHandler();
        using var http = new HttpClient(tracking);
        var platform = SoraFakes.Platform(upstream.BaseUrl, http);

        try
        {
            var content = await platform.RetrieveVideoContentAsync("video_123", "video", TestPlatforms.Context(), CancellationToken.None).WaitAsync(Patience);
            // Chunked, without a length: none is made up.
            Assert.Null(content.Length);
            await content.Content.ReadExactlyAsync(new byte[1024]).AsTask().WaitAsync(Patience);

            // The host stops reading (its client left): disposing the content gives the connection back.
            content.Content.Dispose();

            Assert.True(tracking.LastContent!.Disposed);
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await content.Content.ReadExactlyAsync(new byte[16]));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task An_upstream_without_a_content_type_gets_the_variants_documented_one()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos/{id}/content", async (HttpContext http) =>
        {
            http.Response.ContentLength = 3;
            await http.Response.Body.WriteAsync(new byte[] { 1, 2, 3 });
        }));
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        await using var content = await platform.RetrieveVideoContentAsync("video_123", "thumbnail", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("image/webp", content.ContentType);
        Assert.Equal(3, content.Length);
    }

    [Fact]
    public async Task A_video_that_is_not_ready_is_the_upstreams_404()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos/{id}/content",
            () => Results.Text(SoraPayloads.NotReadyError, "application/json", statusCode: 404)));
        var tracking = new TrackingHandler();
        using var http = new HttpClient(tracking);
        var platform = SoraFakes.Platform(upstream.BaseUrl, http);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.RetrieveVideoContentAsync("video_123", "video", TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("Video is not ready yet, use GET /v1/videos/video_123 to check status.", error.Message);
        Assert.False(error.Retryable);
        Assert.True(tracking.LastContent!.Disposed);
    }
}
