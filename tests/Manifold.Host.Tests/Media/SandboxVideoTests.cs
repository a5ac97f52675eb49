using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Media;

/// <summary>
/// The Videos API through the host on the offline sandbox: Manifold's own ids, progress, a real MP4 from Manifold's
/// storage (checked with ffprobe), ranges, lists, deletion, and a job that outlives a restart of the gateway.
/// </summary>
public sealed class SandboxVideoTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-videos-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private ManifoldFactory Gateway(string database) => new(new Dictionary<string, string?>
    {
        ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
        ["Manifold:Platforms:sandbox:VideoJobSeconds"] = "1",
        ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
        ["Manifold:Media:Path"] = Path.Combine(_root, "media"),
    }, database);

    private string Database => Path.Combine(_root, "manifold.db");

    private static MultipartFormDataContent Create(string prompt, string size = "1280x720") => new()
    {
        { new StringContent("sandbox-video"), "model" },
        { new StringContent(prompt), "prompt" },
        { new StringContent("4"), "seconds" },
        { new StringContent(size), "size" },
    };

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> CompletedAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var video = await JsonAsync(await client.GetAsync($"/v1/videos/{id}"));
            if (video["status"]!.GetValue<string>() is "completed" or "failed" || DateTime.UtcNow > deadline)
            {
                return video;
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_video_job_runs_completes_and_downloads_a_real_mp4_from_manifolds_storage()
    {
        Directory.CreateDirectory(_root);
        await using var gateway = Gateway(Database);
        using var client = gateway.CreateAuthorizedClient();

        var created = await JsonAsync(await client.PostAsync("/v1/videos", Create("a calico cat playing a piano")));
        var id = created["id"]!.GetValue<string>();
        var done = await CompletedAsync(client, id);
        var video = await client.GetAsync($"/v1/videos/{id}/content");
        var bytes = await video.Content.ReadAsByteArrayAsync();

        Assert.Matches("^video_[0-9a-f]{32}$", id);
        Assert.Equal(("video", "sandbox-video", "1280x720", "4"), (created["object"]!.GetValue<string>(), created["model"]!.GetValue<string>(), created["size"]!.GetValue<string>(), created["seconds"]!.GetValue<string>()));
        Assert.Equal(("completed", 100), (done["status"]!.GetValue<string>(), done["progress"]!.GetValue<int>()));
        Assert.True(done["expires_at"]!.GetValue<long>() > done["completed_at"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal("video/mp4", video.Content.Headers.ContentType!.MediaType);
        var probe = await FfprobeAsync(bytes);
        Assert.Contains("codec_name=h264", probe, StringComparison.Ordinal);
        Assert.Contains("width=1280", probe, StringComparison.Ordinal);
        Assert.Contains("height=720", probe, StringComparison.Ordinal);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/sandbox/v1/videos/{id}/content");
        ranged.Headers.Range = new RangeHeaderValue(0, 99);
        var part = await client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes[..100], await part.Content.ReadAsByteArrayAsync());

        var thumbnail = await client.GetAsync($"/v1/videos/{id}/content?variant=thumbnail");
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType!.MediaType);
        var wrongVariant = await client.GetAsync($"/v1/videos/{id}/content?variant=poster");
        Assert.Equal("variant", (await JsonAsync(wrongVariant, HttpStatusCode.BadRequest))["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Detail_true_adds_the_jobs_metadata_with_links_to_its_stored_files_and_nothing_of_the_account()
    {
        Directory.CreateDirectory(_root);
        await using var gateway = Gateway(Database);
        using var client = gateway.CreateAuthorizedClient();
        var id = (await JsonAsync(await client.PostAsync("/v1/videos", Create("a kite over a beach"))))["id"]!.GetValue<string>();
        await CompletedAsync(client, id);

        var plain = await JsonAsync(await client.GetAsync($"/v1/videos/{id}"));
        var detailed = await JsonAsync(await client.GetAsync($"/sandbox/v1/videos/{id}?detail=true"));
        var detail = detailed["detail"]!;

        Assert.Null(plain["detail"]);
        Assert.Equal(("video", "completed", 100), (detailed["object"]!.GetValue<string>(), detailed["status"]!.GetValue<string>(), detailed["progress"]!.GetValue<int>()));
        Assert.Equal(("sandbox", "video", "a kite over a beach"),
            (detail["platform"]!.GetValue<string>(), detail["kind"]!.GetValue<string>(), detail["parameters"]!["prompt"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(detail["upstream_id"]!.GetValue<string>()));
        Assert.True(detail["polls"]!.GetValue<int>() >= 1);
        Assert.Null(detail["account_id"]);
        var results = detail["results"]!.AsArray();
        Assert.Equal(["video", "thumbnail", "spritesheet"], results.Select(static r => r!["variant"]!.GetValue<string>()));
        using var anonymous = gateway.CreateClient();
        var download = await anonymous.GetAsync(results[0]!["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(results[0]!["bytes"]!.GetValue<long>(), (await download.Content.ReadAsByteArrayAsync()).LongLength);
        var malformed = await client.GetAsync($"/v1/videos/{id}?detail=maybe");
        Assert.Equal("detail", (await JsonAsync(malformed, HttpStatusCode.BadRequest))["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Jobs_list_newest_first_page_by_after_and_delete_removes_the_job_and_its_files()
    {
        Directory.CreateDirectory(_root);
        await using var gateway = Gateway(Database);
        using var client = gateway.CreateAuthorizedClient();
        var ids = new List<string>();
        foreach (var prompt in new[] { "one", "two", "three" })
        {
            ids.Add((await JsonAsync(await client.PostAsync("/v1/videos", Create(prompt))))["id"]!.GetValue<string>());
        }

        var first = await JsonAsync(await client.GetAsync("/v1/videos?limit=2"));
        var second = await JsonAsync(await client.GetAsync($"/v1/videos?limit=2&after={first["last_id"]!.GetValue<string>()}"));
        await CompletedAsync(client, ids[0]);
        var deleted = await JsonAsync(await client.DeleteAsync($"/v1/videos/{ids[0]}"));
        var gone = await client.GetAsync($"/v1/videos/{ids[0]}");

        Assert.Equal([ids[2], ids[1]], first["data"]!.AsArray().Select(static v => v!["id"]!.GetValue<string>()));
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.Equal([ids[0]], second["data"]!.AsArray().Select(static v => v!["id"]!.GetValue<string>()));
        Assert.False(second["has_more"]!.GetValue<bool>());
        Assert.Equal(("video.deleted", true), (deleted["object"]!.GetValue<string>(), deleted["deleted"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_root, "media", ids[0])));
    }

    [Theory]
    [InlineData("/v1/videos/video_00000000000000000000000000000000")]
    [InlineData("/v1/videos/../../etc/passwd")]
    [InlineData("/v1/videos/not-an-id/content")]
    public async Task An_unknown_or_malformed_id_is_a_404_in_openais_shape(string path)
    {
        Directory.CreateDirectory(_root);
        await using var gateway = Gateway(Database);
        using var client = gateway.CreateAuthorizedClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull((await JsonAsync(response, HttpStatusCode.NotFound))["error"]);
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_a_job_that_is_not_done_has_no_content_yet()
    {
        Directory.CreateDirectory(_root);
        await using var gateway = Gateway(Database);
        using var client = gateway.CreateAuthorizedClient();

        var badSize = await client.PostAsync("/v1/videos", Create("x", size: "640x480"));
        var noPrompt = await client.PostAsync("/v1/videos", new StringContent("""{"model":"sandbox-video"}""", Encoding.UTF8, "application/json"));
        var running = await JsonAsync(await client.PostAsync("/v1/videos", Create("slow")));
        var early = await client.GetAsync($"/v1/videos/{running["id"]!.GetValue<string>()}/content");
        var deleteEarly = await client.DeleteAsync($"/v1/videos/{running["id"]!.GetValue<string>()}");

        Assert.Equal("size", (await JsonAsync(badSize, HttpStatusCode.BadRequest))["error"]!["param"]!.GetValue<string>());
        Assert.Equal("prompt", (await JsonAsync(noPrompt, HttpStatusCode.BadRequest))["error"]!["param"]!.GetValue<string>());
        Assert.Equal("video_not_ready", (await JsonAsync(early, HttpStatusCode.NotFound))["error"]!["code"]!.GetValue<string>());
        Assert.Equal("invalid_video_state", (await JsonAsync(deleteEarly, HttpStatusCode.BadRequest))["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_survives_a_restart_of_the_gateway()
    {
        Directory.CreateDirectory(_root);
        string id;
        await using (var first = Gateway(Database))
        {
            using var client = first.CreateAuthorizedClient();
            id = (await JsonAsync(await client.PostAsync("/v1/videos", Create("survivor"))))["id"]!.GetValue<string>();
        }

        // A new gateway process on the same database and media folder.
        await using var second = Gateway(Database);
        using var again = second.CreateAuthorizedClient();
        var done = await CompletedAsync(again, id);
        var video = await again.GetAsync($"/v1/videos/{id}/content");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Contains("codec_name=h264", await FfprobeAsync(await video.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
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
