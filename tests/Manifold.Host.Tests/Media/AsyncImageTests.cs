using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Media;

/// <summary>
/// The seeds' async images (<c>async: true</c> in the body or <c>?async=true</c>): the answer is a task at once, the job
/// runs in the background from what Manifold kept (uploads included), and <c>GET /v1/images/{task_id}</c> reads it.
/// </summary>
public sealed class AsyncImageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-async-images-" + Guid.NewGuid().ToString("N"));
    private readonly ManifoldFactory _manifold;

    public AsyncImageTests() => _manifold = new ManifoldFactory(new Dictionary<string, string?>
    {
        ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
        ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
        ["Manifold:Media:Path"] = Path.Combine(_root, "media"),
    });

    public void Dispose()
    {
        _manifold.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> FinishedAsync(HttpClient client, string id, string query = "")
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var task = await JsonAsync(await client.GetAsync($"/v1/images/{id}{query}"));
            if (task["status"]!.GetValue<string>() is "completed" or "failed" || DateTime.UtcNow > deadline)
            {
                return task;
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Async_in_the_query_answers_a_task_that_completes_with_the_images_as_base64()
    {
        using var client = _manifold.CreateAuthorizedClient();

        var task = await JsonAsync(await client.PostAsync("/sandbox/v1/images/generations?async=true",
            Json("""{"model":"sandbox-image","prompt":"a red bicycle","size":"256x256","n":2}""")));
        var id = task["id"]!.GetValue<string>();
        var done = await FinishedAsync(client, id);
        var direct = await JsonAsync(await client.PostAsync("/v1/images/generations",
            Json("""{"model":"sandbox-image","prompt":"a red bicycle","size":"256x256","n":2}""")));

        Assert.Matches("^img_[0-9a-f]{32}$", id);
        Assert.Equal(("image.task", "sandbox-image", "queued"), (task["object"]!.GetValue<string>(), task["model"]!.GetValue<string>(), task["status"]!.GetValue<string>()));
        Assert.True(task["created_at"]!.GetValue<long>() > 0);
        Assert.Null(task["data"]);
        Assert.Equal(("completed", 100), (done["status"]!.GetValue<string>(), done["progress"]!.GetValue<int>()));
        // The sandbox draws from the request: the same image as the direct request proves the job ran the same request.
        Assert.Equal(direct["data"]!.AsArray().Select(static d => d!["b64_json"]!.GetValue<string>()),
            done["data"]!.AsArray().Select(static d => d!["b64_json"]!.GetValue<string>()));
        Assert.Equal(direct["size"]?.GetValue<string>(), done["size"]?.GetValue<string>());
    }

    [Fact]
    public async Task Async_in_the_body_with_url_answers_signed_links_and_detail_names_the_platform_and_prompt()
    {
        using var client = _manifold.CreateAuthorizedClient();

        var task = await JsonAsync(await client.PostAsync("/v1/images/generations",
            Json("""{"model":"sandbox-image","prompt":"a lighthouse","size":"256x256","response_format":"url","async":true}""")));
        var done = await FinishedAsync(client, task["id"]!.GetValue<string>(), "?detail=true");
        var url = done["data"]![0]!["url"]!.GetValue<string>();
        using var anonymous = _manifold.CreateClient();
        var image = await anonymous.GetAsync(url);

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Matches("^http://localhost/v1/media/img_[0-9a-f]{32}/0\\.png\\?expires=\\d+&signature=[0-9a-f]{64}$", url);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await image.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(("sandbox", "a lighthouse"), (done["detail"]!["platform"]!.GetValue<string>(), done["detail"]!["parameters"]!["prompt"]!.GetValue<string>()));
        Assert.Null(done["detail"]!["parameters"]!["request"]);
    }

    [Fact]
    public async Task An_async_edit_keeps_its_uploads_until_it_runs_and_makes_what_the_same_edit_makes_at_once()
    {
        using var client = _manifold.CreateAuthorizedClient();
        var png = Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        MultipartFormDataContent Edit(bool async)
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent("sandbox-image"), "model" },
                { new StringContent("make it blue"), "prompt" },
                { new StringContent("256x256"), "size" },
            };
            var file = new ByteArrayContent(png);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "image[]", "dot.png");
            if (async)
            {
                form.Add(new StringContent("true"), "async");
            }
            return form;
        }

        var task = await JsonAsync(await client.PostAsync("/v1/images/edits", Edit(async: true)));
        var id = task["id"]!.GetValue<string>();
        var done = await FinishedAsync(client, id);
        var direct = await JsonAsync(await client.PostAsync("/v1/images/edits", Edit(async: false)));

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(direct["data"]![0]!["b64_json"]!.GetValue<string>(), done["data"]![0]!["b64_json"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(_root, "media", id, "in")));
    }

    [Fact]
    public async Task A_job_the_platform_refuses_fails_with_the_platforms_code_and_message()
    {
        using var client = _manifold.CreateAuthorizedClient();

        var task = await JsonAsync(await client.PostAsync("/v1/images/generations?async=true",
            Json("""{"model":"sandbox-image","prompt":"too many","n":11}""")));
        var done = await FinishedAsync(client, task["id"]!.GetValue<string>());

        Assert.Equal("failed", done["status"]!.GetValue<string>());
        Assert.Equal("integer_above_max_value", done["error"]!["code"]!.GetValue<string>());
        Assert.Contains("'n'", done["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(done["data"]);
    }

    [Theory]
    [InlineData("/v1/images/img_00000000000000000000000000000000")]
    [InlineData("/v1/images/video_00000000000000000000000000000000")]
    [InlineData("/v1/images/not-a-task")]
    public async Task An_unknown_task_is_a_404_in_openais_shape(string path)
    {
        using var client = _manifold.CreateAuthorizedClient();

        var error = await JsonAsync(await client.GetAsync(path), HttpStatusCode.NotFound);

        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Async_with_stream_or_a_malformed_async_is_a_400_naming_async()
    {
        using var client = _manifold.CreateAuthorizedClient();

        var both = await JsonAsync(await client.PostAsync("/v1/images/generations",
            Json("""{"model":"sandbox-image","prompt":"x","stream":true,"async":true}""")), HttpStatusCode.BadRequest);
        var malformed = await JsonAsync(await client.PostAsync("/v1/images/generations?async=soon",
            Json("""{"model":"sandbox-image","prompt":"x"}""")), HttpStatusCode.BadRequest);

        Assert.Equal("async", both["error"]!["param"]!.GetValue<string>());
        Assert.Equal("async", malformed["error"]!["param"]!.GetValue<string>());
    }
}
