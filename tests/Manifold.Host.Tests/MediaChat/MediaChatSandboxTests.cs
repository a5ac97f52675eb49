using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.MediaChat;

/// <summary>
/// Video and images from an ordinary Chat Completions request, through the real host on the offline sandbox: progress
/// as reasoning, the result as markdown whose link works without a licence, the model name's and the prompt's options on
/// the job, hidden progress, a client that leaves, a wait that runs out, and a job that fails.
/// </summary>
public sealed partial class MediaChatSandboxTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-media-chat-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private ManifoldFactory Gateway(string jobSeconds = "2", params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
            ["Manifold:Platforms:sandbox:VideoJobSeconds"] = jobSeconds,
            ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
            ["Manifold:Media:Path"] = Path.Combine(_root, "media"),
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return new ManifoldFactory(settings);
    }

    private static StringContent Chat(string model, object content, bool stream, string extra = "")
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(content)) }),
            ["stream"] = stream,
        };
        var json = body.ToJsonString();
        if (extra.Length > 0)
        {
            json = json[..^1] + "," + extra + "}";
        }
        return new StringContent(json, Encoding.UTF8, "application/json");
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The data events of a whole SSE answer, the last being <c>[DONE]</c> when there is one.</summary>
    private static async Task<List<string>> EventsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(static e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(static e => e["data: ".Length..]).ToList();
    }

    private static IEnumerable<JsonNode> Chunks(List<string> events) => events.Where(static e => e != "[DONE]").Select(static e => JsonNode.Parse(e)!);

    private static string Joined(IEnumerable<JsonNode> chunks, string field) =>
        string.Concat(chunks.Select(c => c["choices"]?.AsArray().FirstOrDefault()?["delta"]?[field]?.GetValue<string>() ?? ""));

    private static string LinkIn(string markdown) => LinkPattern().Match(markdown) is { Success: true } match
        ? match.Groups["url"].Value
        : throw new Xunit.Sdk.XunitException($"No markdown link in: {markdown}");

    [GeneratedRegex(@"\]\((?<url>[^)]+)\)")]
    private static partial Regex LinkPattern();

    private static async Task<JsonNode> VideoAsync(HttpClient client, string id) => await JsonAsync(await client.GetAsync($"/v1/videos/{id}"));

    [Fact]
    public async Task A_streamed_video_reports_progress_as_reasoning_then_a_link_that_plays_without_a_licence()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateAuthorizedClient();

        var response = await client.PostAsync("/v1/chat/completions",
            Chat("sandbox-video-landscape-4s", "A calico cat playing a piano", stream: true, "\"stream_options\":{\"include_usage\":true}"));
        var events = await EventsAsync(response);
        var chunks = Chunks(events).ToList();
        var reasoning = Joined(chunks, "reasoning_content");
        var content = Joined(chunks, "content");
        var id = response.Headers.GetValues("x-manifold-task-id").Single();

        Assert.Equal("[DONE]", events[^1]);
        Assert.Matches("^video_[0-9a-f]{32}$", id);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.All(chunks, c => Assert.Equal("chatcmpl-" + id, c["id"]!.GetValue<string>()));
        Assert.Contains("Task " + id, reasoning, StringComparison.Ordinal);
        Assert.Matches(@"(Queued|Generating): \d+%", reasoning);
        Assert.Contains("Done: 100%", reasoning, StringComparison.Ordinal);
        Assert.Equal("stop", chunks.Single(c => c["choices"]!.AsArray().FirstOrDefault()?["finish_reason"] is not null)["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var usage = chunks[^1];
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal(0, usage["usage"]!["total_tokens"]!.GetValue<int>());

        // The link is signed: no licence needed, and it is a real H.264 video of the asked size.
        var url = LinkIn(content);
        Assert.Contains("/v1/media/" + id + "/", url, StringComparison.Ordinal);
        using var anonymous = gateway.CreateClient();
        var video = await anonymous.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal("video/mp4", video.Content.Headers.ContentType!.MediaType);
        var probe = await FfprobeAsync(await video.Content.ReadAsByteArrayAsync());
        Assert.Contains("codec_name=h264", probe, StringComparison.Ordinal);
        Assert.Contains("width=1280", probe, StringComparison.Ordinal);
        Assert.Contains("height=720", probe, StringComparison.Ordinal);

        // The same job through the Videos API, with the options the model name asked.
        var job = await VideoAsync(client, id);
        Assert.Equal(("completed", "1280x720", "4", "sandbox-video"),
            (job["status"]!.GetValue<string>(), job["size"]!.GetValue<string>(), job["seconds"]!.GetValue<string>(), job["model"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_non_streamed_video_waits_for_the_job_and_the_prompts_prefixes_choose_its_options()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateAuthorizedClient();

        var answer = await JsonAsync(await client.PostAsync("/v1/chat/completions",
            Chat("sandbox-video", new object[] { new { type = "text", text = "竖屏 15s 动起来" } }, stream: false)));
        var message = answer["choices"]![0]!["message"]!;
        var id = answer["id"]!.GetValue<string>()["chatcmpl-".Length..];
        var job = await JsonAsync(await client.GetAsync($"/v1/videos/{id}?detail=true"));

        Assert.Equal(("chat.completion", "stop"), (answer["object"]!.GetValue<string>(), answer["choices"]![0]!["finish_reason"]!.GetValue<string>()));
        Assert.Contains("/v1/media/" + id + "/", LinkIn(message["content"]!.GetValue<string>()), StringComparison.Ordinal);
        Assert.Contains("Done: 100%", message["reasoning_content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(answer["usage"]);
        // Portrait, and 15 s made the nearest length the sandbox can: 12 s. The prefixes are not the prompt.
        Assert.Equal(("720x1280", "12"), (job["size"]!.GetValue<string>(), job["seconds"]!.GetValue<string>()));
        Assert.Equal("动起来", job["detail"]!["parameters"]!["prompt"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_image_model_answers_a_markdown_image_whose_link_serves_a_png_of_the_asked_orientation()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateAuthorizedClient();

        var answer = await JsonAsync(await client.PostAsync("/v1/chat/completions", Chat("sandbox-image-landscape", "A lighthouse at dusk", stream: false)));
        var content = answer["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        var id = answer["id"]!.GetValue<string>()["chatcmpl-".Length..];

        Assert.StartsWith("![image](", content, StringComparison.Ordinal);
        using var anonymous = gateway.CreateClient();
        var image = await anonymous.GetAsync(new Uri(LinkIn(content)).PathAndQuery);
        var png = await image.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        Assert.Equal((1536, 1024), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        var task = await JsonAsync(await client.GetAsync($"/v1/images/{id}"));
        Assert.Equal("completed", task["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_image_part_in_the_message_is_the_reference_the_image_job_edits()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateAuthorizedClient();
        var reference = "data:image/png;base64," + Convert.ToBase64String(Convert.FromHexString("89504E470D0A1A0A"));
        var parts = new object[] { new { type = "text", text = "Make it a watercolor" }, new { type = "image_url", image_url = new { url = reference } } };

        var edited = await JsonAsync(await client.PostAsync("/v1/chat/completions", Chat("sandbox-image", parts, stream: false)));
        var plain = await JsonAsync(await client.PostAsync("/v1/chat/completions", Chat("sandbox-image", "Make it a watercolor", stream: false)));
        var id = edited["id"]!.GetValue<string>()["chatcmpl-".Length..];
        var task = await JsonAsync(await client.GetAsync($"/v1/images/{id}?detail=true"));

        Assert.Equal(("edit", "Make it a watercolor"),
            (task["detail"]!["parameters"]!["operation"]!.GetValue<string>(), task["detail"]!["parameters"]!["prompt"]!.GetValue<string>()));
        // The sandbox's edit depends on its reference: not the picture the prompt alone makes.
        using var anonymous = gateway.CreateClient();
        var editedPng = await anonymous.GetByteArrayAsync(new Uri(LinkIn(edited["choices"]![0]!["message"]!["content"]!.GetValue<string>())).PathAndQuery);
        var plainPng = await anonymous.GetByteArrayAsync(new Uri(LinkIn(plain["choices"]![0]!["message"]!["content"]!.GetValue<string>())).PathAndQuery);
        Assert.NotEqual(plainPng, editedPng);
    }

    [Fact]
    public async Task Close_reasoning_content_hides_the_progress_but_not_the_result()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateAuthorizedClient();

        var events = await EventsAsync(await client.PostAsync("/v1/chat/completions",
            Chat("sandbox-video", "A kite", stream: true, "\"close_reasoning_content\":true")));
        var chunks = Chunks(events).ToList();

        Assert.DoesNotContain(events, static e => e.Contains("reasoning_content", StringComparison.Ordinal));
        Assert.Contains("/v1/media/", Joined(chunks, "content"), StringComparison.Ordinal);
        Assert.Equal("[DONE]", events[^1]);
    }

    [Fact]
    public async Task A_client_that_leaves_the_stream_leaves_the_job_running_to_completion()
    {
        await using var gateway = Gateway(jobSeconds: "3");
        using var client = gateway.CreateAuthorizedClient();

        string id;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("sandbox-video", "A train", stream: true) })
        {
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            id = response.Headers.GetValues("x-manifold-task-id").Single();
            await using var body = await response.Content.ReadAsStreamAsync();
            var first = new byte[256];
            Assert.True(await body.ReadAsync(first) > 0);
            response.Dispose();
        }

        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonNode job;
        do
        {
            await Task.Delay(200);
            job = await VideoAsync(client, id);
        }
        while (job["status"]!.GetValue<string>() is not ("completed" or "failed") && DateTime.UtcNow < deadline);
        Assert.Equal("completed", job["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Past_the_configured_wait_the_answer_names_the_task_to_poll()
    {
        await using var gateway = Gateway(jobSeconds: "600", ("Manifold:Media:ChatWaitTimeout", "00:00:00.100"));
        using var client = gateway.CreateAuthorizedClient();

        var answer = await JsonAsync(await client.PostAsync("/v1/chat/completions", Chat("sandbox-video", "A slow sunset", stream: false)));
        var content = answer["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        var id = answer["id"]!.GetValue<string>()["chatcmpl-".Length..];

        Assert.Contains("GET /v1/videos/" + id, content, StringComparison.Ordinal);
        Assert.Contains("not ready yet", content, StringComparison.Ordinal);
        Assert.Equal("stop", answer["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Contains((await VideoAsync(client, id))["status"]!.GetValue<string>(), new[] { "queued", "in_progress" });
    }

    [Fact]
    public async Task A_job_that_fails_is_an_error_in_chat_completions_shape_streamed_or_not()
    {
        await using var gateway = Gateway(jobSeconds: "600", ("Manifold:Tasks:Timeout", "00:00:01"));
        using var client = gateway.CreateAuthorizedClient();

        var error = await JsonAsync(await client.PostAsync("/v1/chat/completions", Chat("sandbox-video", "Never done", stream: false)), HttpStatusCode.UnprocessableEntity);
        var events = await EventsAsync(await client.PostAsync("/v1/chat/completions", Chat("sandbox-video", "Never done either", stream: true)));
        var streamed = JsonNode.Parse(events[^1])!;

        Assert.Equal("server_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Matches("^Task video_[0-9a-f]{32} failed: ", error["error"]!["message"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["error"]!["code"]!.GetValue<string>()));
        Assert.NotNull(streamed["error"]);
        Assert.DoesNotContain("[DONE]", events);
    }

    [Fact]
    public async Task A_storyboard_on_the_sandbox_is_made_at_its_whole_length_and_ordinary_sandbox_chat_still_chats()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateAuthorizedClient();

        var answer = await JsonAsync(await client.PostAsync("/v1/chat/completions",
            Chat("sandbox-video-landscape", "[5.0s]猫猫从飞机上跳伞 [5.0s]猫猫降落", stream: false)));
        var id = answer["id"]!.GetValue<string>()["chatcmpl-".Length..];
        var echo = await JsonAsync(await client.PostAsync("/v1/chat/completions", Chat("sandbox-echo", "hello", stream: false)));

        // 10 s of shots: the sandbox's nearest length, a tie between 8 and 12, goes to the longer.
        Assert.Equal("12", (await VideoAsync(client, id))["seconds"]!.GetValue<string>());
        Assert.Equal("You said: hello", echo["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_messages()
    {
        await using var gateway = Gateway(more: [("Manifold:Platforms:sora:Plugin", "sora"), ("Manifold:Platforms:sora:BaseUrl", "http://127.0.0.1:9/v1"),
            ("Manifold:Platforms:sora:Accounts:0:Key", "sk-never-called")]);
        using var client = gateway.CreateAuthorizedClient();

        var empty = await JsonAsync(await client.PostAsync("/v1/chat/completions", Chat("sandbox-video", "竖屏 高清", stream: false)), HttpStatusCode.BadRequest);
        var storyboard = await JsonAsync(await client.PostAsync("/v1/chat/completions",
            Chat("sora-2", "Shot 1:\nduration: 7.5sec\nScene: 飞机起飞\n\nShot 2:\nduration: 7.5sec\nScene: 飞机降落", stream: true)), HttpStatusCode.BadRequest);

        Assert.Equal("messages", empty["error"]!["param"]!.GetValue<string>());
        Assert.Equal(("messages", "storyboard_not_supported"), (storyboard["error"]!["param"]!.GetValue<string>(), storyboard["error"]!["code"]!.GetValue<string>()));
        Assert.Contains("'sora'", storyboard["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<string> FfprobeAsync(byte[] video)
    {
        Directory.CreateDirectory(_root);
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
