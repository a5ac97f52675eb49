using System.Collections.Concurrent;
using Manifold.Contracts;
using Manifold.Plugins.Tests.Fakes;
using Manifold.Plugins.Tests.Sora;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Veo;

/// <summary>
/// Content: the operation polled afresh, its video downloaded as Google serves it (the file URL with the key, answered by a
/// redirect to a signed, key-less storage URL), streamed unbuffered and released with the stream.
/// </summary>
public sealed class VideoContentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private const string Signature = "c2lnbmVk";

    /// <summary>A fake Gemini API with one finished operation whose file answers a 302 to storage, as Google's does.</summary>
    private sealed class FakeGoogle : IAsyncDisposable
    {
        public required FakeUpstream Upstream { get; init; }

        public ConcurrentQueue<string> Unauthorized { get; } = new();

        public Uri Root => Upstream.Root;

        public static async Task<FakeGoogle> StartAsync(byte[] video, Func<HttpContext, Task>? storage = null, string? operation = null, Func<HttpContext, Task>? file = null)
        {
            FakeGoogle? fake = null;
            var upstream = await FakeUpstream.StartAsync(app =>
            {
                app.MapGet("/v1beta/models/{model}/operations/{id}", (HttpContext http) =>
                    Results.Text(operation ?? VeoPayloads.Done($"{fake!.Root}v1beta/files/3fh2k9x1:download?alt=media"), "application/json"));
                app.MapGet("/v1beta/files/{name}", async (HttpContext http) =>
                {
                    if (http.Request.Query["key"] != TestPlatforms.Key)
                    {
                        fake!.Unauthorized.Enqueue(http.Request.Path);
                        http.Response.StatusCode = 403;
                        await http.Response.WriteAsJsonAsync(new { error = new { code = 403, message = "Method doesn't allow unregistered callers.", status = "PERMISSION_DENIED" } });
                        return;
                    }
                    if (file is not null)
                    {
                        await file(http);
                        return;
                    }
                    http.Response.Redirect($"/storage/3fh2k9x1.mp4?sig={Signature}");
                });
                app.MapGet("/storage/{name}", async (HttpContext http) =>
                {
                    if (http.Request.Query["sig"] != Signature)
                    {
                        http.Response.StatusCode = 403;
                        return;
                    }
                    if (storage is not null)
                    {
                        await storage(http);
                        return;
                    }
                    http.Response.ContentType = "video/mp4";
                    http.Response.ContentLength = video.Length;
                    await http.Response.Body.WriteAsync(video);
                });
            });
            fake = new FakeGoogle { Upstream = upstream };
            return fake;
        }

        public ValueTask DisposeAsync() => Upstream.DisposeAsync();
    }

    public static TheoryData<bool> Redirects => new() { true, false };

    [Theory]
    [MemberData(nameof(Redirects))]
    public async Task Downloads_the_video_through_googles_redirect_and_the_key_never_leaves_the_api_host(bool handlerFollowsRedirects)
    {
        var bytes = TempFilePart.RandomBytes(300_000);
        await using var google = await FakeGoogle.StartAsync(bytes);
        // The host's handler follows redirects itself; one that does not leaves them to the plugin. Both must work alike.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = handlerFollowsRedirects });
        var platform = VeoFakes.Platform(google.Root, http);

        await using var content = await platform.RetrieveVideoContentAsync(VeoFakes.Operation, "video", TestPlatforms.Context(), CancellationToken.None);
        using var copy = new MemoryStream();
        await content.Content.CopyToAsync(copy);

        Assert.Equal(("video/mp4", (long?)bytes.Length), (content.ContentType, content.Length));
        Assert.Equal(SoraFakes.Sha256(bytes), SoraFakes.Sha256(copy.ToArray()));
        Assert.Empty(google.Unauthorized);

        var requests = google.Upstream.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        var (poll, file, storage) = (requests[0], requests[1], requests[2]);
        // The poll is fresh (nothing cached) and carries the key as every Gemini call does.
        Assert.Equal("/v1beta/" + VeoFakes.Operation, poll.RawTarget);
        Assert.Equal(TestPlatforms.Key, poll.Header("x-goog-api-key"));
        // The file: the key in the query, never in a header a redirect would carry on.
        Assert.Equal($"/v1beta/files/3fh2k9x1:download?alt=media&key={TestPlatforms.Key}", file.RawTarget);
        Assert.Null(file.Header("x-goog-api-key"));
        // Signed storage: nothing of ours.
        Assert.Equal($"/storage/3fh2k9x1.mp4?sig={Signature}", storage.RawTarget);
        Assert.Null(storage.Header("x-goog-api-key"));
        Assert.DoesNotContain(TestPlatforms.Key, storage.RawTarget);
        Assert.DoesNotContain(storage.Headers.Values, static v => v.Contains(TestPlatforms.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_served_without_a_redirect_is_downloaded_too()
    {
        var bytes = TempFilePart.RandomBytes(1000);
        await using var google = await FakeGoogle.StartAsync(bytes, file: async http =>
        {
            http.Response.ContentType = "video/mp4";
            await http.Response.Body.WriteAsync(bytes);
        });

        await using var content = await VeoFakes.Platform(google.Root).RetrieveVideoContentAsync(VeoFakes.Operation, "video", TestPlatforms.Context(), CancellationToken.None);
        using var copy = new MemoryStream();
        await content.Content.CopyToAsync(copy);

        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task The_body_is_streamed_as_it_arrives_and_the_response_is_released_with_the_content()
    {
        var first = TempFilePart.RandomBytes(64 * 1024);
        var rest = TempFilePart.RandomBytes(256 * 1024);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var google = await FakeGoogle.StartAsync([], storage: async http =>
        {
            http.Response.ContentType = "video/mp4";
            http.Response.ContentLength = first.Length + rest.Length;
            await http.Response.Body.WriteAsync(first);
            await http.Response.Body.FlushAsync();
            // The rest only once the test has read the start: a plugin that buffered the body would never return.
            await release.Task.WaitAsync(Patience);
            await http.Response.Body.WriteAsync(rest);
        });
        var tracking = new TrackingHandler();
        using var http = new HttpClient(tracking);
        var platform = VeoFakes.Platform(google.Root, http);

        await StreamedContent.AssertStreamsThenReleasesAsync(
            () => platform.RetrieveVideoContentAsync(VeoFakes.Operation, "video", TestPlatforms.Context(), CancellationToken.None), tracking, first, rest, release);
    }

    [Theory]
    [InlineData("thumbnail")]
    [InlineData("spritesheet")]
    public async Task Veo_has_no_thumbnail_or_spritesheet(string variant)
    {
        await using var google = await FakeGoogle.StartAsync([]);

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            VeoFakes.Platform(google.Root).RetrieveVideoContentAsync(VeoFakes.Operation, variant, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((404, "variant"), (error.StatusCode, error.Param));
        Assert.Empty(google.Upstream.Requests);
    }

    [Theory]
    [InlineData(VeoPayloads.Running, "video_not_ready")]
    [InlineData(VeoPayloads.Failed, "not_found")]
    [InlineData(VeoPayloads.Filtered, "not_found")]
    public async Task An_unfinished_or_failed_operation_has_no_content(string operation, string code)
    {
        await using var google = await FakeGoogle.StartAsync([], operation: operation);

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            VeoFakes.Platform(google.Root).RetrieveVideoContentAsync(VeoFakes.Operation, "video", TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((404, code), (error.StatusCode, error.Code));
        Assert.Single(google.Upstream.Requests);
    }

    [Theory]
    [InlineData("https://storage.example.com/v.mp4")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    public async Task A_video_anywhere_but_the_api_host_is_refused_and_the_key_is_not_sent(string uri)
    {
        await using var google = await FakeGoogle.StartAsync([], operation: VeoPayloads.Done(uri));

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            VeoFakes.Platform(google.Root).RetrieveVideoContentAsync(VeoFakes.Operation, "video", TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(502, error.StatusCode);
        Assert.Single(google.Upstream.Requests);
    }

    [Fact]
    public async Task A_refused_download_keeps_googles_status_and_never_shows_the_key()
    {
        // An upstream that quotes the request (key and all) back in its error.
        await using var google = await FakeGoogle.StartAsync([], file: async http =>
        {
            http.Response.StatusCode = 403;
            await http.Response.WriteAsJsonAsync(new { error = new { code = 403, message = $"Permission denied on {http.Request.QueryString}", status = "PERMISSION_DENIED" } });
        });

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            VeoFakes.Platform(google.Root).RetrieveVideoContentAsync(VeoFakes.Operation, "video", TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((403, "PERMISSION_DENIED"), (error.StatusCode, error.Code));
        Assert.DoesNotContain(TestPlatforms.Key, error.Message);
        Assert.Contains("[redacted]", error.Message);
    }

    [Fact]
    public async Task A_refused_storage_download_is_an_upstream_error()
    {
        await using var google = await FakeGoogle.StartAsync([], storage: static http =>
        {
            http.Response.StatusCode = 403;
            http.Response.ContentType = "application/xml";
            return http.Response.WriteAsync("<Error><Code>SignatureDoesNotMatch</Code></Error>");
        });

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            VeoFakes.Platform(google.Root).RetrieveVideoContentAsync(VeoFakes.Operation, "video", TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(403, error.StatusCode);
        Assert.Contains("SignatureDoesNotMatch", error.Message);
    }

    [Fact]
    public async Task A_redirect_to_an_unreachable_host_is_a_retryable_502_without_the_key()
    {
        await using var google = await FakeGoogle.StartAsync([], file: static http =>
        {
            http.Response.Redirect("http://127.0.0.1:1/storage/x.mp4");
            return Task.CompletedTask;
        });

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            VeoFakes.Platform(google.Root).RetrieveVideoContentAsync(VeoFakes.Operation, "video", TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((502, "upstream_unreachable", true), (error.StatusCode, error.Code, error.Retryable));
        Assert.DoesNotContain(TestPlatforms.Key, error.Message);
    }
}
