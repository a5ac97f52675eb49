using System.Security.Cryptography;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Plugins.Sandbox;
using Manifold.Plugins.Tests.Fakes;
using Manifold.Plugins.Tests.Sandbox.Media;
using Manifold.Plugins.Tests.Sora;

namespace Manifold.Plugins.Tests.Sandbox;

/// <summary>The sandbox's Images API: real images (decoded by ffprobe/ffmpeg), n distinct pictures, sizes, streams, edits, refusals.</summary>
public sealed class ImagesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AdapterContext Context = new("sandbox", null, "req-test");

    private readonly IImagesAdapter _images = (IImagesAdapter)new SandboxPlugin().CreatePlatform(
        new PlatformSettings { Name = "sandbox", Plugin = "sandbox" }, TestPlatforms.Services(time: new FixedTimeProvider(Now)));

    private readonly string _dir = Directory.CreateTempSubdirectory("manifold-sandbox-images-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, ManifoldJson.Options)!;

    private static Task<ImagesResponse> Generate(IImagesAdapter images, string json) =>
        images.CreateImageAsync(Parse<CreateImageRequest>(json), Context, CancellationToken.None);

    /// <summary>Writes the base64 image to a file and has ffprobe read it: (codec, width, height); ffmpeg decodes it without a complaint.</summary>
    private (string Codec, int Width, int Height) Probe(string base64)
    {
        Assert.DoesNotMatch("^data:", base64);
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, Convert.FromBase64String(base64));
        var stream = MediaTools.ProbeOnlyStream(path);
        MediaTools.AssertDecodesCleanly(path);
        return (stream.GetProperty("codec_name").GetString()!, stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32());
    }

    [Fact]
    public async Task A_generation_is_one_square_png_by_default_with_usage_that_adds_up()
    {
        var answer = await Generate(_images, """{"model":"sandbox-image","prompt":"A cute baby sea otter"}""");

        Assert.Equal(Now.ToUnixTimeSeconds(), answer.Created);
        var image = Assert.Single(answer.Data!);
        Assert.Equal(("png", 1024, 1024), Probe(image.B64Json!));
        Assert.Null(image.Url);
        Assert.Equal(("1024x1024", "high", "png", "opaque"), (answer.Size, answer.Quality, answer.OutputFormat, answer.Background));
        var usage = answer.Usage!;
        Assert.Equal(6, usage.InputTokensDetails.TextTokens); // 21 characters / 4, rounded up
        Assert.Equal(0, usage.InputTokensDetails.ImageTokens);
        Assert.Equal(4160, usage.OutputTokens);
        Assert.Equal(usage.InputTokens + usage.OutputTokens, usage.TotalTokens);
    }

    [Fact]
    public async Task N_images_are_distinct_of_any_size_up_to_4096_and_the_same_request_gives_the_same_bytes()
    {
        var answer = await Generate(_images, """{"prompt":"A lighthouse","n":3,"size":"1536x1024","quality":"low"}""");
        Assert.Equal(3, answer.Data!.Count);
        Assert.Equal(3, answer.Data.Select(static d => d.B64Json).Distinct().Count());
        Assert.All(answer.Data, d => Assert.Equal(("png", 1536, 1024), Probe(d.B64Json!)));
        Assert.Equal(3 * 408, answer.Usage!.OutputTokens); // 272 per 1024x1024 at low, scaled by area
        Assert.Equal("1536x1024", answer.Size);

        var again = await Generate(_images, """{"prompt":"A lighthouse","n":3,"size":"1536x1024","quality":"low"}""");
        Assert.Equal(answer.Data.Select(static d => d.B64Json), again.Data!.Select(static d => d.B64Json));

        // A size the API does not name is made, and left out of the answer's size (whose values are the API's three).
        var odd = await Generate(_images, """{"prompt":"A lighthouse","size":"300x200"}""");
        Assert.Equal(("png", 300, 200), Probe(Assert.Single(odd.Data!).B64Json!));
        Assert.Null(odd.Size);
        var auto = await Generate(_images, """{"prompt":"A lighthouse","size":"auto"}""");
        Assert.Equal(("png", 1024, 1024), Probe(Assert.Single(auto.Data!).B64Json!));
    }

    [Fact]
    public async Task Jpeg_and_webp_are_encoded_as_asked()
    {
        var jpeg = await Generate(_images, """{"prompt":"Glass","size":"256x256","output_format":"jpeg","output_compression":80}""");
        Assert.Equal(("mjpeg", 256, 256), Probe(jpeg.Data![0].B64Json!));
        Assert.Equal("jpeg", jpeg.OutputFormat);
        var webp = await Generate(_images, """{"prompt":"Glass","size":"256x256","output_format":"webp"}""");
        Assert.Equal(("webp", 256, 256), Probe(webp.Data![0].B64Json!));
    }

    [Theory]
    [InlineData("""{"prompt":"x","size":"640xbig"}""", "size")]
    [InlineData("""{"prompt":"x","size":"5000x1024"}""", "size")]
    [InlineData("""{"prompt":"x","size":"0x10"}""", "size")]
    [InlineData("""{"prompt":"x","n":0}""", "n")]
    [InlineData("""{"prompt":"x","n":11}""", "n")]
    [InlineData("""{"prompt":"x","response_format":"url"}""", "response_format")]
    [InlineData("""{"prompt":"x","output_format":"gif"}""", "output_format")]
    [InlineData("""{"prompt":"x","background":"transparent"}""", "background")]
    [InlineData("""{"prompt":"x","quality":"ultra"}""", "quality")]
    [InlineData("""{"prompt":"x","partial_images":4}""", "partial_images")]
    [InlineData("""{"prompt":""}""", "prompt")]
    public async Task What_the_sandbox_cannot_make_is_a_400_naming_the_field(string json, string param)
    {
        var error = await Assert.ThrowsAsync<UpstreamException>(() => Generate(_images, json));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(param, error.Param);
        if (param == "response_format")
        {
            Assert.Contains("use b64_json", error.Message);
        }
    }

    [Fact]
    public async Task A_stream_sends_the_partial_images_blockier_first_then_the_completed_image()
    {
        var events = new List<ImageGenStreamEvent>();
        await foreach (var e in _images.CreateImageStreamAsync(
            Parse<CreateImageRequest>("""{"prompt":"Otter","size":"512x512","stream":true,"partial_images":3}"""), Context, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal(["image_generation.partial_image", "image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"],
            events.Select(static e => e.Type));
        Assert.Equal([0L, 1L, 2L], events.Take(3).Select(static e => e.PartialImageIndex!.Value));
        Assert.All(events, e => Assert.Equal(("png", 512, 512), Probe(e.B64Json)));
        Assert.Equal(4, events.Select(static e => e.B64Json).Distinct().Count());
        Assert.All(events.Take(3), static e => Assert.Null(e.Usage));
        var completed = events[^1];
        Assert.Equal(("auto", "high", "opaque", "png"), (completed.Size, completed.Quality, completed.Background, completed.OutputFormat));
        Assert.Equal(completed.Usage!.InputTokens + completed.Usage.OutputTokens, completed.Usage.TotalTokens);
        // The final image is the one the same request answers without a stream.
        var plain = await Generate(_images, """{"prompt":"Otter","size":"512x512"}""");
        Assert.Equal(plain.Data![0].B64Json, completed.B64Json);
    }

    [Fact]
    public async Task An_edit_depends_on_the_first_images_bytes_deterministically()
    {
        using var a = new TempFilePart("image", "a.png", "image/png", TempFilePart.RandomBytes(2_000));
        using var b = new TempFilePart("image", "b.png", "image/png", TempFilePart.RandomBytes(2_001));
        using var copy = new TempFilePart("image", "copy.png", "image/png", a.Bytes);
        var request = Parse<CreateImageEditRequest>("""{"prompt":"Watercolor","size":"256x256"}""");

        var first = await _images.CreateImageEditAsync(request, new FileParts([a.Part]), Context, CancellationToken.None);
        var same = await _images.CreateImageEditAsync(request, new FileParts([copy.Part]), Context, CancellationToken.None);
        var other = await _images.CreateImageEditAsync(request, new FileParts([b.Part]), Context, CancellationToken.None);
        var generated = await Generate(_images, """{"prompt":"Watercolor","size":"256x256"}""");

        Assert.Equal(("png", 256, 256), Probe(first.Data![0].B64Json!));
        Assert.Equal(first.Data[0].B64Json, same.Data![0].B64Json);
        Assert.NotEqual(first.Data[0].B64Json, other.Data![0].B64Json);
        Assert.NotEqual(first.Data[0].B64Json, generated.Data![0].B64Json);
        Assert.Equal(272, first.Usage!.InputTokensDetails.ImageTokens);

        var two = await _images.CreateImageEditAsync(request, new FileParts([a.Part, b.Part]), Context, CancellationToken.None);
        Assert.Equal(2 * 272, two.Usage!.InputTokensDetails.ImageTokens);
        Assert.True(a.IsClosed() && b.IsClosed(), "the inputs are closed after hashing");
    }

    [Fact]
    public async Task An_edit_by_reference_streams_and_one_without_an_image_is_a_400_naming_image()
    {
        var events = new List<ImageEditStreamEvent>();
        await foreach (var e in _images.CreateImageEditStreamAsync(
            Parse<CreateImageEditRequest>("""{"prompt":"Snow","size":"256x256","stream":true,"partial_images":1,"images":[{"file_id":"file-abc"}]}"""),
            FileParts.None, Context, CancellationToken.None))
        {
            events.Add(e);
        }
        Assert.Equal(["image_edit.partial_image", "image_edit.completed"], events.Select(static e => e.Type));
        Assert.Equal(("png", 256, 256), Probe(events[^1].B64Json));

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            _images.CreateImageEditAsync(Parse<CreateImageEditRequest>("""{"prompt":"Snow"}"""), FileParts.None, Context, CancellationToken.None));
        Assert.Equal((400, "image"), (error.StatusCode, error.Param));
    }
}
