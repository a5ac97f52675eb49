using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Tests.Fakes;
using Manifold.Plugins.Tests.Sora;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Veo;

/// <summary>Create: OpenAI's request as Veo's predictLongRunning body, and the operation as a queued Video.</summary>
public sealed class CreateVideoTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Task<FakeUpstream> StartAsync(string answer = VeoPayloads.Started, int status = 200) =>
        FakeUpstream.StartAsync(app => app.MapPost("/v1beta/models/{model}", async (HttpContext http) =>
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=UTF-8";
            await http.Response.WriteAsync(answer);
        }));

    private static IVideosAdapter Platform(FakeUpstream upstream) => VeoFakes.Platform(upstream.Root, time: new FixedTimeProvider(Now));

    private static JsonNode Sent(FakeUpstream upstream) => JsonNode.Parse(upstream.SingleRequest.Body)!;

    [Fact]
    public async Task Submits_the_documented_body_with_the_key_and_answers_a_queued_video_named_by_the_operation()
    {
        await using var upstream = await StartAsync();

        var video = await Platform(upstream).CreateVideoAsync(
            VeoFakes.Request("""{"model":"veo-3.1-generate-preview","prompt":"A calico cat playing a piano on stage","seconds":"4","size":"720x1280"}"""),
            FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1beta/models/veo-3.1-generate-preview:predictLongRunning", sent.RawTarget);
        Assert.Equal(TestPlatforms.Key, sent.Header("x-goog-api-key"));
        Assert.Null(sent.Header("Authorization"));
        Assert.StartsWith("application/json", sent.Header("Content-Type"));
        Assert.Equal(
            """{"instances":[{"prompt":"A calico cat playing a piano on stage"}],"parameters":{"aspectRatio":"9:16","resolution":"720p","durationSeconds":4}}""",
            sent.Body);

        Assert.Equal(VeoFakes.Operation, video.Id);
        Assert.Equal(("video", VeoFakes.Model, VideoStatusValues.Queued, 0L), (video.Object, video.Model, video.Status, video.Progress));
        Assert.Equal(("720x1280", "4"), (video.Size, video.Seconds));
        Assert.Equal("A calico cat playing a piano on stage", video.Prompt);
        Assert.Equal(Now.ToUnixTimeSeconds(), video.CreatedAt);
        Assert.Null(video.CompletedAt);
        Assert.Null(video.Error);
    }

    [Fact]
    public async Task Without_size_or_seconds_nothing_is_sent_and_veos_defaults_are_reported()
    {
        await using var upstream = await StartAsync();

        var video = await Platform(upstream).CreateVideoAsync(
            VeoFakes.Request("""{"model":"models/veo-3.1-generate-preview","prompt":"waves"}"""), FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("/v1beta/models/veo-3.1-generate-preview:predictLongRunning", upstream.SingleRequest.RawTarget);
        Assert.Equal("""{"instances":[{"prompt":"waves"}]}""", upstream.SingleRequest.Body);
        Assert.Equal(("1280x720", "8", VeoFakes.Model), (video.Size, video.Seconds, video.Model));
    }

    [Fact]
    public async Task Veo_extras_go_into_parameters()
    {
        await using var upstream = await StartAsync();

        await Platform(upstream).CreateVideoAsync(
            VeoFakes.Request("""{"model":"veo-3.1-generate-preview","prompt":"a fox","size":"1792x1024","negative_prompt":"blurry","person_generation":"allow_all","seed":7}"""),
            FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(
            """{"aspectRatio":"16:9","resolution":"1080p","negativePrompt":"blurry","personGeneration":"allow_all","seed":7}""",
            Sent(upstream)["parameters"]!.ToJsonString());
    }

    [Fact]
    public async Task A_reference_file_part_becomes_the_first_frame_inline_typed_by_its_bytes()
    {
        await using var upstream = await StartAsync();
        var png = VeoFakes.Png(200_000);
        // Declared as octet-stream, as a client without a type sends it: the bytes say PNG.
        using var file = new TempFilePart("input_reference", "frame.png", "application/octet-stream", png);

        await Platform(upstream).CreateVideoAsync(
            VeoFakes.Request("""{"model":"veo-3.1-generate-preview","prompt":"the frame, animated","size":"1280x720"}"""),
            new FileParts([file.Part]), TestPlatforms.Context(), CancellationToken.None);

        var image = Sent(upstream)["instances"]![0]!["image"]!;
        Assert.Equal("image/png", (string?)image["mimeType"]);
        Assert.Equal(png, Convert.FromBase64String((string)image["bytesBase64Encoded"]!));
        Assert.Equal(["bytesBase64Encoded", "mimeType"], image.AsObject().Select(static p => p.Key).Order());
        Assert.True(file.IsClosed(), "the temporary file is closed once read");
    }

    [Theory]
    [InlineData("image/jpeg", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0 })]
    [InlineData("image/webp", new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 4, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P', (byte)'V', (byte)'P', (byte)'8', (byte)'L' })]
    public async Task A_data_url_reference_is_decoded(string type, byte[] bytes)
    {
        await using var upstream = await StartAsync();
        var url = $"data:{type};base64,{Convert.ToBase64String(bytes)}";

        await Platform(upstream).CreateVideoAsync(
            VeoFakes.Request($$$"""{"model":"veo-3.1-generate-preview","prompt":"p","input_reference":{"image_url":"{{{url}}}"}}"""),
            FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        var image = Sent(upstream)["instances"]![0]!["image"]!;
        Assert.Equal(type, (string?)image["mimeType"]);
        Assert.Equal(bytes, Convert.FromBase64String((string)image["bytesBase64Encoded"]!));
    }

    [Theory]
    [InlineData("""{"image_url":"http://localhost/cat.png"}""", "input_reference.image_url", "internal or reserved address")]
    [InlineData("""{"image_url":"http://169.254.169.254/latest"}""", "input_reference.image_url", "169.254.169.254, an internal or reserved address")]
    [InlineData("""{"image_url":"http://[::ffff:127.0.0.1]/cat.png"}""", "input_reference.image_url", "internal or reserved address")]
    [InlineData("""{"image_url":"data:image/png,rawbytes"}""", "input_reference.image_url", "base64 data: URL")]
    [InlineData("""{"image_url":"data:image/png;base64,@@@"}""", "input_reference.image_url", "not valid base64")]
    [InlineData("""{"image_url":"data:text/plain;base64,aGVsbG8gd29ybGQ="}""", "input_reference", "PNG, JPEG or WebP")]
    [InlineData("""{"file_id":"file-abc123"}""", "input_reference.file_id", "cannot read")]
    [InlineData("""{"image_url":"ftp://example.com/cat.png"}""", "input_reference.image_url", "base64 data: URL")]
    public async Task A_reference_veo_cannot_take_is_a_400_and_nothing_is_sent(string reference, string param, string says)
    {
        await using var upstream = await StartAsync();

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Platform(upstream).CreateVideoAsync(
            VeoFakes.Request($$"""{"model":"veo-3.1-generate-preview","prompt":"p","input_reference":{{reference}}}"""),
            FileParts.None, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, "invalid_request_error", param), (error.StatusCode, error.Type, error.Param));
        Assert.Contains(says, error.Message);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task An_http_reference_is_fetched_through_the_guarded_client_and_sent_inline()
    {
        await using var upstream = await StartAsync();
        var png = VeoFakes.Png();
        await using var images = await FakeUpstream.StartAsync(app => app.MapGet("/cat.png", () => Results.Bytes(png, "image/png")));
        // The operator's Manifold__Network__AllowPrivateAddresses=true, so a loopback server may stand for a public one.
        var services = TestPlatforms.Services(time: new FixedTimeProvider(Now));
        var platform = (IVideosAdapter)new Manifold.Plugins.Gemini.VeoPlugin().CreatePlatform(TestPlatforms.Settings("veo", upstream.Root),
            new PlatformServices(services.Http, services.Loggers, services.Time) { ClientUrls = new HttpClient(Manifold.Contracts.Net.GuardedHttp.CreateHandler(allowPrivateAddresses: true)) });

        await platform.CreateVideoAsync(
            VeoFakes.Request($$$"""{"model":"veo-3.1-generate-preview","prompt":"p","input_reference":{"image_url":"{{{new Uri(images.Root, "/cat.png")}}}"}}"""),
            FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        var image = Sent(upstream)["instances"]![0]!["image"]!;
        Assert.Equal("image/png", (string?)image["mimeType"]);
        Assert.Equal(png, Convert.FromBase64String((string)image["bytesBase64Encoded"]!));
    }

    [Fact]
    public async Task A_reference_file_that_is_no_image_is_a_400()
    {
        await using var upstream = await StartAsync();
        using var file = new TempFilePart("input_reference", "clip.mp4", "video/mp4", TempFilePart.RandomBytes(1000));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Platform(upstream).CreateVideoAsync(
            VeoFakes.Request("""{"model":"veo-3.1-generate-preview","prompt":"p"}"""), new FileParts([file.Part]), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, "input_reference"), (error.StatusCode, error.Param));
        Assert.Contains("(video/mp4)", error.Message);
        Assert.Empty(upstream.Requests);
    }

    [Theory]
    [InlineData("""{"model":"veo-3.1-generate-preview","prompt":"p","seconds":"12"}""", "seconds")]
    [InlineData("""{"model":"veo-3.1-generate-preview","prompt":"p","size":"640x480"}""", "size")]
    [InlineData("""{"model":"veo-3.1-generate-preview","prompt":"p","size":"1792x1024","seconds":"4"}""", "seconds")]
    [InlineData("""{"model":"veo-2.0-generate-001","prompt":"p","size":"1024x1792"}""", "size")]
    [InlineData("""{"model":"veo-3.1-generate-preview","prompt":"p","quality":"high"}""", "quality")]
    [InlineData("""{"prompt":"p"}""", "model")]
    public async Task What_veo_cannot_do_is_refused_before_anything_is_sent(string request, string param)
    {
        await using var upstream = await StartAsync();

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Platform(upstream).CreateVideoAsync(
            VeoFakes.Request(request), FileParts.None, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, param), (error.StatusCode, error.Param));
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Googles_refusal_keeps_its_status_and_message()
    {
        await using var upstream = await StartAsync(VeoPayloads.InvalidArgument, 400);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Platform(upstream).CreateVideoAsync(
            VeoFakes.Request("""{"model":"veo-3.1-generate-preview","prompt":"p"}"""), FileParts.None, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, "invalid_request_error", "INVALID_ARGUMENT", false), (error.StatusCode, error.Type, error.Code, error.Retryable));
        Assert.Equal("`durationSeconds` 5 is not supported by veo-3.1-generate-preview; use one of 4, 6, 8.", error.Message);
    }

    [Fact]
    public async Task An_answer_without_an_operation_name_is_a_502()
    {
        await using var upstream = await StartAsync("""{"name":"../../etc"}""");

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Platform(upstream).CreateVideoAsync(
            VeoFakes.Request("""{"model":"veo-3.1-generate-preview","prompt":"p"}"""), FileParts.None, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(502, error.StatusCode);
    }
}
