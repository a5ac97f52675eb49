using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Media;

/// <summary>
/// Google's long-running video surface through the real host on the offline sandbox: predictLongRunning in the Gemini
/// API's and Vertex AI's paths, the operation polled to done, the video downloaded from files/{id}:download (a real MP4,
/// checked with ffprobe) or inline from fetchPredictOperation; Google's error shape for bad requests; another licence's
/// operation is Google's NOT_FOUND. Imagen's :predict answers real images.
/// </summary>
public sealed class GeminiVideoOperationTests : IDisposable
{
    private const string AdminKey = "mf-admin-key-for-gemini-operations-0123456789";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-gemini-ops-" + Guid.NewGuid().ToString("N"));

    public GeminiVideoOperationTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private ManifoldFactory Gateway(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
            ["Manifold:Platforms:sandbox:VideoJobSeconds"] = "1",
            ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
            ["Manifold:Media:Path"] = Path.Combine(_root, "media"),
            ["Manifold:Admin:Key"] = AdminKey,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new ManifoldFactory(settings, Path.Combine(_root, "manifold.db"));
    }

    /// <summary>A client as Google's SDK is one: the key in x-goog-api-key, never Authorization.</summary>
    private static HttpClient GoogleClient(ManifoldFactory gateway, string key)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Add("x-goog-api-key", key);
        return client;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> DoneAsync(HttpClient client, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var operation = await JsonAsync(await client.GetAsync("/v1beta/" + name));
            if (operation["done"]?.GetValue<bool>() == true || DateTime.UtcNow > deadline)
            {
                return operation;
            }
            Assert.Null(operation["response"]);
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task PredictLongRunning_makes_a_job_whose_operation_is_polled_to_done_and_whose_file_is_a_real_mp4()
    {
        await using var gateway = Gateway();
        using var client = GoogleClient(gateway, ManifoldFactory.LicenceKey);

        var started = await JsonAsync(await client.PostAsync("/v1beta/models/sandbox-video:predictLongRunning",
            Json("""{"instances":[{"prompt":"a lighthouse in a storm"}],"parameters":{"aspectRatio":"9:16","durationSeconds":4}}""")));
        var name = started["name"]!.GetValue<string>();
        var done = await DoneAsync(client, name);
        var uri = done["response"]!["generateVideoResponse"]!["generatedSamples"]![0]!["video"]!["uri"]!.GetValue<string>();
        var fileId = new Uri(uri).AbsolutePath.Split("files/")[1].Split(':')[0];
        var download = await client.GetAsync($"/v1beta/files/{fileId}:download?alt=media");
        var bytes = await download.Content.ReadAsByteArrayAsync();
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v1/files/{fileId}:download?alt=media") { Headers = { Range = new RangeHeaderValue(0, 99) } };
        var part = await client.SendAsync(ranged);

        // Ids are lowercase alphanumeric, as @google/genai parses them; the operation names the model it was asked of.
        Assert.Matches("^models/sandbox-video/operations/video[0-9a-f]{32}$", name);
        Assert.Matches("^video[0-9a-f]{32}$", fileId);
        Assert.StartsWith("http://localhost/v1beta/files/", uri, StringComparison.Ordinal);
        Assert.EndsWith(":download?alt=media", uri, StringComparison.Ordinal);
        Assert.Equal("type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse", done["response"]!["@type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("video/mp4", download.Content.Headers.ContentType!.MediaType);
        var probe = await FfprobeAsync(bytes);
        Assert.Contains("codec_name=h264", probe, StringComparison.Ordinal);
        Assert.Contains("width=720", probe, StringComparison.Ordinal);
        Assert.Contains("height=1280", probe, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(100, (await part.Content.ReadAsByteArrayAsync()).Length);

        // The same job is an ordinary video job: OpenAI's API sees it, with the size and length asked in Google's words.
        using var openai = gateway.CreateAuthorizedClient();
        var video = await JsonAsync(await openai.GetAsync("/v1/videos/video_" + fileId["video".Length..]));
        Assert.Equal(("completed", "720x1280", "4"), (video["status"]!.GetValue<string>(), video["size"]!.GetValue<string>(), video["seconds"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_running_operation_has_no_done_and_reports_progress_and_the_v1_paths_serve_the_same()
    {
        await using var gateway = Gateway(new Dictionary<string, string?> { ["Manifold:Platforms:sandbox:VideoJobSeconds"] = "600" });
        using var client = GoogleClient(gateway, ManifoldFactory.LicenceKey);

        var started = await JsonAsync(await client.PostAsync("/v1/models/sandbox-video:predictLongRunning", Json("""{"instances":[{"prompt":"slow"}]}""")));
        var name = started["name"]!.GetValue<string>();
        var running = await JsonAsync(await client.GetAsync("/v1/" + name));
        var file = await client.GetAsync($"/v1beta/files/{name.Split('/')[^1]}:download?alt=media");

        Assert.Null(running["done"]);
        Assert.Null(running["error"]);
        Assert.InRange(running["metadata"]!["progressPercent"]!.GetValue<int>(), 0, 99);
        Assert.Equal(name, running["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        Assert.Equal("NOT_FOUND", JsonNode.Parse(await file.Content.ReadAsStringAsync())!["error"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Vertex_paths_start_the_job_and_fetchPredictOperation_answers_the_video_inline()
    {
        await using var gateway = Gateway();
        using var client = GoogleClient(gateway, ManifoldFactory.LicenceKey);

        var started = await JsonAsync(await client.PostAsync("/v1beta1/publishers/google/models/sandbox-video:predictLongRunning",
            Json("""{"instances":[{"prompt":"waves"}],"parameters":{"aspectRatio":"16:9","resolution":"720p","durationSeconds":4,"sampleCount":1}}""")));
        var name = started["name"]!.GetValue<string>();
        JsonNode operation;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        do
        {
            await Task.Delay(100);
            operation = await JsonAsync(await client.PostAsync("/v1beta1/publishers/google/models/sandbox-video:fetchPredictOperation",
                Json($$"""{"operationName":"{{name}}"}""")));
        }
        while (operation["done"]?.GetValue<bool>() != true && DateTime.UtcNow < deadline);
        var video = operation["response"]!["videos"]![0]!;
        var bytes = Convert.FromBase64String(video["bytesBase64Encoded"]!.GetValue<string>());

        Assert.Equal("video/mp4", video["mimeType"]!.GetValue<string>());
        Assert.Equal("type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse", operation["response"]!["@type"]!.GetValue<string>());
        var probe = await FfprobeAsync(bytes);
        Assert.Contains("width=1280", probe, StringComparison.Ordinal);
        Assert.Contains("height=720", probe, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"instances":[]}""", "instances")]
    [InlineData("""{"instances":[{"prompt":"x"}],"parameters":{"aspectRatio":"4:3"}}""", "parameters.aspectRatio")]
    [InlineData("""{"instances":[{"prompt":"x"}],"parameters":{"resolution":"4k"}}""", "parameters.resolution")]
    [InlineData("""{"instances":[{"prompt":"x"}],"parameters":{"durationSeconds":6}}""", "parameters.durationSeconds")]
    [InlineData("""{"instances":[{"prompt":"x"}],"parameters":{"sampleCount":2}}""", "parameters.sampleCount")]
    [InlineData("""{"instances":[{"prompt":"x"}],"parameters":{"negativePrompt":"rain"}}""", "parameters.negativePrompt")]
    [InlineData("""{"instances":[{"prompt":"x","lastFrame":{"bytesBase64Encoded":"AA==","mimeType":"image/png"}}]}""", "instances[0].lastFrame")]
    [InlineData("""{"instances":[{"prompt":"x","image":{"gcsUri":"gs://b/o.png","mimeType":"image/png"}}]}""", "instances[0].image.gcsUri")]
    [InlineData("""{"instances":[{"prompt":"x"}],"parameters":{"fps":24}}""", "parameters.fps")]
    [InlineData("""{"instances":[{}]}""", "instances[0].prompt")]
    public async Task A_request_a_platform_cannot_make_is_a_400_in_Googles_shape_naming_the_field(string body, string field)
    {
        await using var gateway = Gateway();
        using var client = GoogleClient(gateway, ManifoldFactory.LicenceKey);

        var response = await client.PostAsync("/v1beta/models/sandbox-video:predictLongRunning", Json(body));
        var error = (await JsonAsync(response, HttpStatusCode.BadRequest))["error"]!;

        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Equal("INVALID_ARGUMENT", error["status"]!.GetValue<string>());
        Assert.Contains(field, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_licences_operation_and_file_are_Googles_NOT_FOUND()
    {
        await using var gateway = Gateway();
        using var owner = GoogleClient(gateway, ManifoldFactory.LicenceKey);
        using var admin = gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var otherKey = (await JsonAsync(await admin.PostAsync("/admin/api/licences", Json("""{"name":"someone-else"}""")), HttpStatusCode.Created))["key"]!.GetValue<string>();
        using var other = GoogleClient(gateway, otherKey);

        var name = (await JsonAsync(await owner.PostAsync("/v1beta/models/sandbox-video:predictLongRunning", Json("""{"instances":[{"prompt":"mine"}]}"""))))["name"]!.GetValue<string>();
        await DoneAsync(owner, name);
        var id = name.Split('/')[^1];
        var responses = new[]
        {
            await other.GetAsync("/v1beta/" + name),
            await other.GetAsync($"/v1beta/files/{id}:download?alt=media"),
            await other.PostAsync("/v1beta1/publishers/google/models/sandbox-video:fetchPredictOperation", Json($$"""{"operationName":"{{name}}"}""")),
            await owner.GetAsync("/v1beta/models/sandbox-video/operations/video0123456789abcdef0123456789abcdef"),
        };

        foreach (var response in responses)
        {
            var error = (await JsonAsync(response, HttpStatusCode.NotFound))["error"]!;
            Assert.Equal("NOT_FOUND", error["status"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/v1beta/files/{id}:download?alt=media")).StatusCode);
    }

    [Fact]
    public async Task Links_use_the_configured_public_base_url()
    {
        await using var gateway = Gateway(new Dictionary<string, string?> { ["Manifold:Gateway:PublicBaseUrl"] = "https://ai.example.com/" });
        using var client = GoogleClient(gateway, ManifoldFactory.LicenceKey);

        var name = (await JsonAsync(await client.PostAsync("/v1beta/models/sandbox-video:predictLongRunning", Json("""{"instances":[{"prompt":"x"}]}"""))))["name"]!.GetValue<string>();
        var done = await DoneAsync(client, name);

        Assert.Equal($"https://ai.example.com/v1beta/files/{name.Split('/')[^1]}:download?alt=media",
            done["response"]!["generateVideoResponse"]!["generatedSamples"]![0]!["video"]!["uri"]!.GetValue<string>());
    }

    [Fact]
    public async Task Imagen_predict_answers_real_images_inline_on_the_gemini_and_vertex_paths()
    {
        await using var gateway = Gateway();
        using var client = GoogleClient(gateway, ManifoldFactory.LicenceKey);

        var gemini = await JsonAsync(await client.PostAsync("/v1beta/models/sandbox-image:predict",
            Json("""{"instances":[{"prompt":"a red kite"}],"parameters":{"sampleCount":2,"aspectRatio":"16:9"}}""")));
        var vertex = await JsonAsync(await client.PostAsync("/v1beta1/publishers/google/models/sandbox-image:predict",
            Json("""{"instances":[{"prompt":"a red kite"}],"parameters":{"outputOptions":{"mimeType":"image/jpeg"}}}""")));
        var bad = (await JsonAsync(await client.PostAsync("/v1beta/models/sandbox-image:predict",
            Json("""{"instances":[{"prompt":"x"}],"parameters":{"sampleCount":11}}""")), HttpStatusCode.BadRequest))["error"]!;

        var predictions = gemini["predictions"]!.AsArray();
        Assert.Equal(2, predictions.Count);
        var png = Convert.FromBase64String(predictions[0]!["bytesBase64Encoded"]!.GetValue<string>());
        Assert.Equal("image/png", predictions[0]!["mimeType"]!.GetValue<string>());
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        // 16:9 is Imagen's own 1408x768 on a platform that makes any size (the PNG's IHDR holds width and height).
        Assert.Equal((1408, 768), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        var jpeg = Convert.FromBase64String(vertex["predictions"]![0]!["bytesBase64Encoded"]!.GetValue<string>());
        Assert.Equal("image/jpeg", vertex["predictions"]![0]!["mimeType"]!.GetValue<string>());
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Contains("parameters.sampleCount", bad["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<string> FfprobeAsync(byte[] video)
    {
        var file = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".mp4");
        await File.WriteAllBytesAsync(file, video);
        using var process = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-show_streams", "-of", "flat=s=_", "-select_streams", "v:0", file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("ffprobe did not start; install ffmpeg (.ci/run does).");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && errors.Length == 0, $"ffprobe rejected the video: {errors}");
        return output.Replace("streams_stream_0_", string.Empty, StringComparison.Ordinal).Replace("\"", string.Empty, StringComparison.Ordinal);
    }
}
