using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Manifold.Host.Tests.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Generations;

/// <summary>
/// Seed 002's unified task API through the real host on the sandbox: a /v2 task is a media job like any other (its id,
/// its poller, its storage), read as the seed's task object with statuses, progress strings and signed outputs; 400s in
/// OpenAI's shape name the field; another licence gets a 404.
/// </summary>
public sealed class GenerationTaskTests : IDisposable
{
    private const string AdminKey = "mf-admin-key-for-generation-tests-0123";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-v2-" + Guid.NewGuid().ToString("N"));
    private readonly ManifoldFactory _manifold;

    public GenerationTaskTests()
    {
        _manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Admin:Key"] = AdminKey,
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
            ["Manifold:Platforms:sandbox:VideoJobSeconds"] = "2",
            ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
            ["Manifold:Media:Path"] = Path.Combine(_root, "media"),
            ["Manifold:Media:LinkLifetime"] = "00:10:00",
        });
    }

    public void Dispose()
    {
        _manifold.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Polls until SUCCESS or FAILURE, keeping every object seen on the way.</summary>
    internal static async Task<List<JsonNode>> WatchAsync(HttpClient client, string path)
    {
        var seen = new List<JsonNode>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var task = await JsonAsync(await client.GetAsync(path));
            seen.Add(task);
            if (task["status"]!.GetValue<string>() is "SUCCESS" or "FAILURE" || DateTime.UtcNow > deadline)
            {
                return seen;
            }
            await Task.Delay(100);
        }
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string param)
    {
        var error = await JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(("invalid_request_error", param), (error["error"]!["type"]!.GetValue<string>(), error["error"]!["param"]?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(error["error"]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_v2_video_task_is_a_media_job_whose_statuses_and_progress_move_to_success_with_a_downloadable_output()
    {
        using var client = _manifold.CreateAuthorizedClient();

        var created = await JsonAsync(await client.PostAsync("/v2/videos/generations",
            Json("""{"prompt":"a calico cat playing a piano","model":"sandbox-video","aspect_ratio":"16:9","duration":5,"watermark":false,"private":true}""")));
        var id = created["task_id"]!.GetValue<string>();
        var seen = await WatchAsync(client, $"/v2/videos/generations/{id}");
        var done = seen[^1];
        var asV1 = await JsonAsync(await client.GetAsync($"/v1/videos/{id}"));
        var output = done["data"]!["output"]!.GetValue<string>();
        using var anonymous = _manifold.CreateClient();
        var video = await anonymous.GetAsync(output);
        var bytes = await video.Content.ReadAsByteArrayAsync();

        Assert.Equal(["task_id"], created.AsObject().Select(static p => p.Key));
        Assert.Matches("^video_[0-9a-f]{32}$", id);
        Assert.Equal(("SUCCESS", "100%", "", "sandbox", "text-to-video"),
            (done["status"]!.GetValue<string>(), done["progress"]!.GetValue<string>(), done["fail_reason"]!.GetValue<string>(),
             done["platform"]!.GetValue<string>(), done["action"]!.GetValue<string>()));
        // Every status seen is one of the seed's, progress a percentage string that never goes back.
        var statuses = seen.Select(static t => t["status"]!.GetValue<string>()).ToList();
        Assert.All(statuses, static s => Assert.Contains(s, new[] { "SUBMITTED", "QUEUED", "IN_PROGRESS", "SUCCESS" }));
        var progress = seen.Select(static t => int.Parse(t["progress"]!.GetValue<string>().TrimEnd('%'))).ToList();
        Assert.Equal(progress.Order(), progress);
        Assert.All(seen, static t => Assert.Matches("^\\d{1,3}%$", t["progress"]!.GetValue<string>()));
        Assert.True(done["submit_time"]!.GetValue<long>() <= done["start_time"]!.GetValue<long>());
        Assert.True(done["start_time"]!.GetValue<long>() <= done["finish_time"]!.GetValue<long>());
        // The seed's duration 5 is the nearest length the sandbox makes (4), 16:9 is 1280x720: the /v1 view of the same job says so.
        Assert.Equal(("completed", "1280x720", "4"), (asV1["status"]!.GetValue<string>(), asV1["size"]!.GetValue<string>(), asV1["seconds"]!.GetValue<string>()));
        Assert.Equal([output], done["data"]!["outputs"]!.AsArray().Select(static o => o!.GetValue<string>()));
        Assert.Matches($"^http://localhost/v1/media/{id}/video\\?expires=\\d+&signature=[0-9a-f]{{64}}$", output);
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(bytes, 4, 4));
    }

    [Fact]
    public async Task Outputs_expire_with_the_link_lifetime_and_an_altered_link_is_refused()
    {
        using var client = _manifold.CreateAuthorizedClient();
        var id = (await JsonAsync(await client.PostAsync("/v2/images/generations",
            Json("""{"prompt":"a lighthouse","model":"sandbox-image","size":"64x64"}"""))))["task_id"]!.GetValue<string>();
        var done = (await WatchAsync(client, $"/v2/images/generations/{id}"))[^1];
        var output = done["data"]!["output"]!.GetValue<string>();
        var expires = long.Parse(System.Text.RegularExpressions.Regex.Match(output, "expires=(\\d+)").Groups[1].Value);
        using var anonymous = _manifold.CreateClient();
        var forged = await anonymous.GetAsync(output.Replace($"expires={expires}", $"expires={expires + 3600}"));

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(expires, now + 60, now + 600 + 60);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task A_v2_image_task_goes_from_not_start_to_success_with_signed_png_outputs_and_a_v1_view()
    {
        using var client = _manifold.CreateAuthorizedClient();

        var created = await JsonAsync(await client.PostAsync("/v2/images/generations",
            Json("""{"prompt":"a lighthouse at dusk","model":"sandbox-image","aspect_ratio":"3:2","n":2,"hd":true}""")));
        var id = created["task_id"]!.GetValue<string>();
        var first = await JsonAsync(await client.GetAsync($"/v2/images/generations/{id}"));
        var seen = await WatchAsync(client, $"/v2/images/generations/{id}");
        var done = seen[^1];
        var outputs = done["data"]!["outputs"]!.AsArray().Select(static o => o!.GetValue<string>()).ToList();
        var asV1 = await JsonAsync(await client.GetAsync($"/v1/images/{id}?detail=true"));
        using var anonymous = _manifold.CreateClient();
        var image = await anonymous.GetAsync(outputs[1]);
        var png = await image.Content.ReadAsByteArrayAsync();

        Assert.Matches("^img_[0-9a-f]{32}$", id);
        Assert.Contains(first["status"]!.GetValue<string>(), new[] { "NOT_START", "IN_PROGRESS", "SUCCESS" });
        Assert.Equal(("SUCCESS", "100%", "text-to-image"), (done["status"]!.GetValue<string>(), done["progress"]!.GetValue<string>(), done["action"]!.GetValue<string>()));
        // n (an extra OpenAI's request has) reached the platform; 3:2 is 1536x1024 on the sandbox, hd its high quality.
        Assert.Equal(2, outputs.Count);
        Assert.Equal(outputs[0], done["data"]!["output"]!.GetValue<string>());
        Assert.Equal(("1536x1024", "high"), (asV1["size"]!.GetValue<string>(), asV1["quality"]!.GetValue<string>()));
        Assert.Equal("url", asV1["detail"]!["parameters"]!["response_format"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal((1536, 1024), (ReadInt(png, 16), ReadInt(png, 20)));
    }

    private static int ReadInt(byte[] bytes, int offset) => (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];

    [Fact]
    public async Task Reference_images_from_a_url_and_from_base64_make_an_image_to_image_task()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        await using var images = await LoopbackUpstream.StartAsync(app => app.MapGet("/dot.png", () => Results.Bytes(png, "image/png")));
        await using var manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
            ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
            ["Manifold:Media:Path"] = Path.Combine(_root, "media-refs"),
            ["Manifold:Network:AllowPrivateAddresses"] = "true",
        });
        using var client = manifold.CreateAuthorizedClient();

        var fromUrl = await JsonAsync(await client.PostAsync("/v2/images/generations",
            Json($$"""{"prompt":"make it blue","model":"sandbox-image","size":"64x64","images":["{{images.Root}}/dot.png"]}""")));
        var fromBase64 = await JsonAsync(await client.PostAsync("/v2/images/generations",
            Json($$"""{"prompt":"make it blue","model":"sandbox-image","size":"64x64","images":"{{Convert.ToBase64String(png)}}"}""")));
        var a = (await WatchAsync(client, $"/v2/images/generations/{fromUrl["task_id"]}"))[^1];
        var b = (await WatchAsync(client, $"/v2/images/generations/{fromBase64["task_id"]}"))[^1];
        using var anonymous = manifold.CreateClient();

        Assert.Equal(("SUCCESS", "image-to-image"), (a["status"]!.GetValue<string>(), a["action"]!.GetValue<string>()));
        Assert.Equal("SUCCESS", b["status"]!.GetValue<string>());
        // The same edit of the same bytes, however they came: the same picture.
        Assert.Equal(
            await anonymous.GetByteArrayAsync(a["data"]!["output"]!.GetValue<string>()),
            await anonymous.GetByteArrayAsync(b["data"]!["output"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_fields_are_400s_in_openais_shape_naming_the_field()
    {
        using var client = _manifold.CreateAuthorizedClient();
        Task<HttpResponseMessage> Video(string body) => client.PostAsync("/v2/videos/generations", Json(body));

        await AssertBadRequestAsync(await Video("""{"prompt":"a cat"}"""), "model");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video"}"""), "prompt");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","aspect_ratio":"4:5"}"""), "aspect_ratio");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","duration":25}"""), "duration");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","duration":"long"}"""), "duration");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","resolution":"4k"}"""), "resolution");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","videos":["https://example.com/a.mp4"]}"""), "videos");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","images":["http://127.0.0.1/cat.png"]}"""), "images[0]");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","images":["http://169.254.169.254/latest/meta-data"]}"""), "images[0]");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","images":["bm90IGFuIGltYWdl"]}"""), "images[0]");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","notify_hook":"http://10.0.0.8/hook"}"""), "notify_hook");
        await AssertBadRequestAsync(await Video("""{"model":"sandbox-video","prompt":"a cat","notify_hook":"ftp://example.com/hook"}"""), "notify_hook");
        await AssertBadRequestAsync(await client.PostAsync("/v1/videos", Json("""{"model":"sandbox-video","prompt":"a cat","notify_hook":"http://192.168.1.20/hook"}""")), "notify_hook");
        await AssertBadRequestAsync(await client.PostAsync("/v2/images/generations", Json("""{"model":"sandbox-image","prompt":"a cat","duration":4}""")), "duration");
        await AssertBadRequestAsync(await client.PostAsync("/v2/images/generations", Json("""{"model":"sandbox-image","prompt":"a cat","aspect_ratio":"5:1"}""")), "aspect_ratio");
        // The platform's own refusal of an extra is still a 400 naming it.
        await AssertBadRequestAsync(await client.PostAsync("/v2/images/generations", Json("""{"model":"sandbox-image","prompt":"a cat","n":"two"}""")), "n");
    }

    [Fact]
    public async Task A_task_is_its_licences_alone_and_a_scope_reads_only_its_own_kind()
    {
        using var client = _manifold.CreateAuthorizedClient();
        var id = (await JsonAsync(await client.PostAsync("/v2/videos/generations",
            Json("""{"prompt":"a cat","model":"sandbox-video"}"""))))["task_id"]!.GetValue<string>();
        using var admin = _manifold.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var other = await JsonAsync(await admin.PostAsync("/admin/api/licences", Json("""{"name":"someone-else"}""")), HttpStatusCode.Created);
        using var stranger = _manifold.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other["key"]!.GetValue<string>());

        var theirs = await stranger.GetAsync($"/v2/videos/generations/{id}");
        var wrongScope = await client.GetAsync($"/v2/images/generations/{id}");
        var unknown = await client.GetAsync($"/v2/videos/generations/video_{new string('0', 32)}");
        var underPlatform = await JsonAsync(await client.GetAsync($"/sandbox/v2/videos/generations/{id}"));

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal("not_found", (await JsonAsync(theirs, HttpStatusCode.NotFound))["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, wrongScope.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(id, underPlatform["task_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_video_made_through_v1_reads_through_v2_and_a_failed_job_is_failure_with_its_reason()
    {
        using var client = _manifold.CreateAuthorizedClient();
        var form = new MultipartFormDataContent
        {
            { new StringContent("sandbox-video"), "model" },
            { new StringContent("a dog"), "prompt" },
            { new StringContent("4"), "seconds" },
        };
        var id = (await JsonAsync(await client.PostAsync("/v1/videos", form)))["id"]!.GetValue<string>();
        var done = (await WatchAsync(client, $"/v2/videos/generations/{id}"))[^1];
        var failed = await JsonAsync(await client.PostAsync("/v2/images/generations", Json("""{"prompt":"too many","model":"sandbox-image","n":11}""")));
        var failure = (await WatchAsync(client, $"/v2/images/generations/{failed["task_id"]}"))[^1];

        Assert.Equal(("SUCCESS", "text-to-video"), (done["status"]!.GetValue<string>(), done["action"]!.GetValue<string>()));
        Assert.Equal(("FAILURE", "100%"), (failure["status"]!.GetValue<string>(), failure["progress"]!.GetValue<string>()));
        Assert.Contains("n", failure["fail_reason"]!.GetValue<string>());
        Assert.Null(failure["data"]);
        Assert.True(failure.AsObject().ContainsKey("data"));
    }
}
