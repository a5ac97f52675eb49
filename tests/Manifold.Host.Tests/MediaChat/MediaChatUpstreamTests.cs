using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Manifold.Host.Tests.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.MediaChat;

/// <summary>
/// What a `sora` and a `veo` upstream receive when a chat request names a media model with options: loopback upstreams
/// that record the create call and keep the job running, and a short wait so the chat answer names the task.
/// </summary>
public sealed class MediaChatUpstreamTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<IDictionary<string, string>> _soraForms = new();
    private readonly ConcurrentQueue<JsonNode> _veoBodies = new();
    private readonly string _media = Path.Combine(Path.GetTempPath(), "manifold-media-chat-up-" + Guid.NewGuid().ToString("N"));
    private LoopbackUpstream _upstream = null!;
    private ManifoldFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await LoopbackUpstream.StartAsync(app =>
        {
            app.MapPost("/v1/videos", async (HttpContext http) =>
            {
                var form = await http.Request.ReadFormAsync();
                _soraForms.Enqueue(form.ToDictionary(static f => f.Key, static f => f.Value.ToString()));
                return Results.Json(SoraVideo(form["model"]!, form["size"]!, form["seconds"]!));
            });
            app.MapGet("/v1/videos/{id}", (string id) => Results.Json(SoraVideo("sora-2", "1280x720", "12")));
            app.MapPost("/v1beta/models/{action}", async (HttpContext http, string action) =>
            {
                _veoBodies.Enqueue((await JsonNode.ParseAsync(http.Request.Body))!);
                return Results.Json(new { name = $"models/{action.Split(':')[0]}/operations/op1" });
            });
            app.MapGet("/v1beta/models/{model}/operations/{id}", (string model, string id) => Results.Json(new { name = $"models/{model}/operations/{id}" }));
        });
        _gateway = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Platforms:sora:Plugin"] = "sora",
            ["Manifold:Platforms:sora:BaseUrl"] = _upstream.Root + "/v1",
            ["Manifold:Platforms:sora:Accounts:0:Key"] = "sk-sora-upstream",
            ["Manifold:Platforms:veo:Plugin"] = "veo",
            ["Manifold:Platforms:veo:BaseUrl"] = _upstream.Root,
            ["Manifold:Platforms:veo:Accounts:0:Key"] = "veo-upstream-key",
            ["Manifold:Media:ChatWaitTimeout"] = "00:00:00.100",
            ["Manifold:Media:Path"] = _media,
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        if (Directory.Exists(_media))
        {
            Directory.Delete(_media, recursive: true);
        }
    }

    private static object SoraVideo(string model, string size, string seconds) => new
    {
        id = "video_upstream1", @object = "video", model, status = "queued", progress = 0, created_at = 1_700_000_000, size, seconds,
    };

    private async Task<JsonNode> AskAsync(string model, string prompt)
    {
        using var client = _gateway.CreateAuthorizedClient();
        var body = new JsonObject { ["model"] = model, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }) };
        var response = await client.PostAsync("/v1/chat/completions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task Sora_receives_the_bare_model_the_size_and_the_nearest_length_of_a_seed_alias_and_prefix()
    {
        var answer = await AskAsync("sora-video-10s", "横屏 A cat on a skateboard");
        var form = Assert.Single(_soraForms);

        Assert.Equal(("sora-2", "1280x720", "12", "A cat on a skateboard"), (form["model"], form["size"], form["seconds"], form["prompt"]));
        Assert.Contains("not ready yet", answer["choices"]![0]!["message"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Veo_receives_the_aspect_ratio_and_length_of_the_model_names_options()
    {
        await AskAsync("veo-3.1-generate-preview-portrait-6s", "A lighthouse");
        var body = Assert.Single(_veoBodies);

        Assert.Equal("A lighthouse", body["instances"]![0]!["prompt"]!.GetValue<string>());
        Assert.Equal("9:16", body["parameters"]!["aspectRatio"]!.GetValue<string>());
        Assert.Equal(6, body["parameters"]!["durationSeconds"]!.GetValue<int>());
    }
}
