using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Sora;

public sealed class CreateVideoTests
{
    /// <summary>A fake POST /v1/videos that reads the form as a server would and answers the documented queued job.</summary>
    private static async Task<(FakeUpstream Upstream, Func<ReceivedForm> Form)> StartAsync(string answer = SoraPayloads.QueuedVideo)
    {
        ReceivedForm? received = null;
        var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/videos", async (HttpContext http) =>
        {
            received = await ReceivedForm.ReadAsync(http.Request);
            http.Response.Headers["x-request-id"] = "req_create_1";
            return Results.Text(answer, "application/json");
        }));
        return (upstream, () => received ?? throw new InvalidOperationException("The fake received no form."));
    }

    private static CreateVideoRequest Request(string json) => JsonSerializer.Deserialize<CreateVideoRequest>(json, ManifoldJson.Options)!;

    [Fact]
    public async Task A_json_request_goes_upstream_as_a_multipart_form_with_the_bearer_key()
    {
        var (upstream, form) = await StartAsync();
        await using var _ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        var context = TestPlatforms.Context();

        var video = await platform.CreateVideoAsync(
            Request("""{"model":"sora-2","prompt":"A calico cat playing a piano on stage","seconds":"8","size":"1280x720"}"""),
            FileParts.None, context, CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/videos", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("application/json", sent.Header("Accept"));
        Assert.StartsWith("multipart/form-data; boundary=", sent.Header("Content-Type"));
        // The boundary is bare, as the SDK sends it; the body has a length (a file on disk has one), not chunked framing.
        Assert.DoesNotContain("\"", sent.Header("Content-Type"));
        Assert.NotNull(sent.Header("Content-Length"));
        Assert.Null(sent.Header("Transfer-Encoding"));

        var received = form();
        Assert.Equal(["model", "prompt", "seconds", "size"], received.Fields.Keys.Order());
        Assert.Equal("sora-2", received.Field("model"));
        Assert.Equal("A calico cat playing a piano on stage", received.Field("prompt"));
        Assert.Equal("8", received.Field("seconds"));
        Assert.Equal("1280x720", received.Field("size"));
        Assert.Empty(received.Files);
        // Text parts carry a Content-Disposition and nothing else, as the SDK's FormData writes them.
        Assert.All(received.PartHeaders, static h => Assert.Equal(["Content-Disposition"], h.Keys));

        Assert.Equal("video_123", video.Id);
        Assert.Equal("req_create_1", context.UpstreamRequestId);
    }

    [Fact]
    public async Task Fields_the_client_left_out_are_not_sent()
    {
        var (upstream, form) = await StartAsync();
        await using var _ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        await platform.CreateVideoAsync(Request("""{"prompt":"A calico cat"}"""), FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["prompt"], form().Fields.Keys);
    }

    [Fact]
    public async Task A_reference_file_is_streamed_as_a_file_part_with_its_name_type_and_bytes_intact()
    {
        var (upstream, form) = await StartAsync();
        await using var _ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        // Larger than any copy buffer, so the part crosses several reads and writes.
        using var image = new TempFilePart("input_reference", "first frame.png", "image/png", TempFilePart.RandomBytes(700_001));

        await platform.CreateVideoAsync(
            Request("""{"model":"sora-2","prompt":"Animate this","size":"720x1280"}"""), new FileParts([image.Part]), TestPlatforms.Context(), CancellationToken.None);

        var received = form();
        var file = Assert.Single(received.Files);
        Assert.Equal("input_reference", file.Name);
        Assert.Equal("first frame.png", file.FileName);
        Assert.Equal("image/png", file.ContentType);
        Assert.Equal(image.Bytes.Length, file.Length);
        Assert.Equal(SoraFakes.Sha256(image.Bytes), file.Sha256);
        Assert.Equal("Animate this", received.Field("prompt"));
        Assert.DoesNotContain(received.Fields.Keys, static k => k.StartsWith("input_reference", StringComparison.Ordinal));
        // The file part names its file as the SDK does: a quoted UTF-8 filename, no RFC 2231 filename*.
        var headers = Assert.Single(received.PartHeaders, static h => h.ContainsKey("Content-Type"));
        Assert.Equal("form-data; name=\"input_reference\"; filename=\"first frame.png\"", headers["Content-Disposition"]);
        Assert.Equal("image/png", headers["Content-Type"]);
    }

    [Fact]
    public async Task A_non_ascii_file_name_arrives_as_the_client_sent_it()
    {
        var (upstream, form) = await StartAsync();
        await using var _ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        using var image = new TempFilePart("input_reference", "café ☕.webp", "image/webp", TempFilePart.RandomBytes(1024));

        await platform.CreateVideoAsync(Request("""{"prompt":"Steam rising"}"""), new FileParts([image.Part]), TestPlatforms.Context(), CancellationToken.None);

        var file = Assert.Single(form().Files);
        Assert.Equal("café ☕.webp", file.FileName);
        Assert.Equal("image/webp", file.ContentType);
        Assert.Equal(SoraFakes.Sha256(image.Bytes), file.Sha256);
    }

    [Fact]
    public async Task The_file_is_opened_anew_for_every_attempt()
    {
        var (upstream, form) = await StartAsync();
        await using var _ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        using var image = new TempFilePart("input_reference", "frame.jpg", "image/jpeg", TempFilePart.RandomBytes(50_000));
        var request = Request("""{"prompt":"Again"}""");

        // The host calls again on another account after a retryable failure, with the same FileParts.
        await platform.CreateVideoAsync(request, new FileParts([image.Part]), TestPlatforms.Context(), CancellationToken.None);
        await platform.CreateVideoAsync(request, new FileParts([image.Part]), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(2, upstream.Requests.Count);
        Assert.Equal(SoraFakes.Sha256(image.Bytes), Assert.Single(form().Files).Sha256);
        // Nothing holds the file open afterwards: the host can delete it when the request ends.
        Assert.True(image.IsClosed());
    }

    [Fact]
    public async Task The_reference_object_form_goes_as_bracketed_text_parts()
    {
        var (upstream, form) = await StartAsync();
        await using var _ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        await platform.CreateVideoAsync(
            Request("""{"model":"sora-2","prompt":"From this image","input_reference":{"image_url":"https://example.com/frame.png"}}"""),
            FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        var received = form();
        Assert.Equal("https://example.com/frame.png", received.Field("input_reference[image_url]"));
        Assert.DoesNotContain("input_reference[file_id]", received.Fields.Keys);
        Assert.DoesNotContain("input_reference", received.Fields.Keys);
        Assert.Empty(received.Files);
    }

    [Fact]
    public async Task A_file_id_reference_goes_as_its_bracketed_text_part()
    {
        var (upstream, form) = await StartAsync();
        await using var _ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        await platform.CreateVideoAsync(
            Request("""{"prompt":"From an upload","input_reference":{"file_id":"file-abc123"}}"""), FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("file-abc123", form().Field("input_reference[file_id]"));
    }

    [Fact]
    public async Task Unknown_fields_are_kept_as_the_sdk_encodes_them()
    {
        var (upstream, form) = await StartAsync();
        await using var _ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        await platform.CreateVideoAsync(
            Request("""
                {
                  "prompt": "A calico cat",
                  "input_reference": { "image_url": "https://example.com/a.png", "detail": "high" },
                  "quality": "high",
                  "n": 2,
                  "loop": true,
                  "ratio": 1.5,
                  "nothing": null,
                  "metadata": { "team": "video", "run": { "id": 7 } },
                  "tags": ["a", "b"],
                  "characters": [{ "id": "char_1" }]
                }
                """),
            FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        var received = form();
        Assert.Equal("high", received.Field("quality"));
        Assert.Equal("2", received.Field("n"));
        Assert.Equal("true", received.Field("loop"));
        Assert.Equal("1.5", received.Field("ratio"));
        Assert.Equal("video", received.Field("metadata[team]"));
        Assert.Equal("7", received.Field("metadata[run][id]"));
        Assert.Equal(["a", "b"], received.Fields["tags[]"]);
        Assert.Equal("char_1", received.Field("characters[][id]"));
        Assert.Equal("high", received.Field("input_reference[detail]"));
        Assert.Equal("https://example.com/a.png", received.Field("input_reference[image_url]"));
        // A null has no form encoding (the SDK refuses one): it is left out, as if unset.
        Assert.DoesNotContain(received.Fields.Keys, static k => k.StartsWith("nothing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_are_escaped_as_the_html_form_encoding_does()
    {
        var (upstream, form) = await StartAsync();
        await using var _ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        var request = Request("""{"prompt":"Quotes"}""");
        request.AdditionalProperties = new() { ["say \"hi\"\r\nX-Injected: 1"] = JsonSerializer.SerializeToElement("value") };

        await platform.CreateVideoAsync(request, FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        var received = form();
        // One part per field: a quote or a line break in a name can neither end the name nor add a header.
        Assert.Equal(2, received.PartHeaders.Count);
        Assert.Equal("value", received.Field("say %22hi%22%0D%0AX-Injected: 1"));
        Assert.All(received.PartHeaders, static h => Assert.Equal(["Content-Disposition"], h.Keys));
    }

    [Fact]
    public async Task The_answer_is_the_documented_job_with_unknown_fields_kept()
    {
        var (upstream, _) = await StartAsync();
        await using var __ = upstream;
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        var video = await platform.CreateVideoAsync(Request("""{"prompt":"A calico cat playing a piano on stage"}"""), FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("video_123", video.Id);
        Assert.Equal("video", video.Object);
        Assert.Equal("sora-2", video.Model);
        Assert.Equal(VideoStatusValues.Queued, video.Status);
        Assert.Equal(0, video.Progress);
        Assert.Equal(1712697600, video.CreatedAt);
        Assert.Null(video.CompletedAt);
        Assert.Equal("1024x1792", video.Size);
        Assert.Equal("8", video.Seconds);
        Assert.Null(video.Error);
        Assert.Equal("standard", Assert.Contains("quality", video.AdditionalProperties!).GetString());
    }
}
