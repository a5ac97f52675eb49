using System.Net;
using System.Runtime.CompilerServices;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Manifold.Host.Tests.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Characters;

/// <summary>
/// A gateway with a <c>sora</c> platform (two accounts, on <see cref="SoraCharacterUpstream"/>) and the offline
/// <c>sandbox</c>, an admin key to make more licences, and a loopback server of client videos (<c>/clip.mp4</c>, 4 s).
/// </summary>
internal sealed class CharacterGateway : IAsyncDisposable
{
    public const string AdminKey = "mf-admin-key-0123456789abcdef0123456789";

    private readonly string _root;
    private readonly StrongBox<int> _downloads;

    private CharacterGateway(string root, SoraCharacterUpstream sora, LoopbackUpstream clips, StrongBox<int> downloads, ManifoldFactory manifold, byte[] clip)
    {
        _root = root;
        _downloads = downloads;
        Sora = sora;
        Clips = clips;
        Manifold = manifold;
        Clip = clip;
    }

    public SoraCharacterUpstream Sora { get; }

    /// <summary>Serves <see cref="Clip"/> at <c>/clip.mp4</c> and counts its downloads.</summary>
    public LoopbackUpstream Clips { get; }

    public ManifoldFactory Manifold { get; }

    /// <summary>A 4-second H.264 MP4 with sound.</summary>
    public byte[] Clip { get; }

    /// <summary>How many times the clip server was asked for the clip.</summary>
    public int ClipDownloads => Volatile.Read(ref _downloads.Value);

    public static async Task<CharacterGateway> StartAsync(bool allowPrivateAddresses = true, IDictionary<string, string?>? extra = null)
    {
        var clip = await Ffmpegs.Mp4Async(4);
        var sora = await SoraCharacterUpstream.StartAsync();
        var downloads = new StrongBox<int>();
        var clips = await LoopbackUpstream.StartAsync(app => app.MapGet("/clip.mp4", () =>
        {
            Interlocked.Increment(ref downloads.Value);
            return Results.Bytes(clip, "video/mp4");
        }));
        var root = Path.Combine(Path.GetTempPath(), "manifold-characters-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Manifold:Admin:Key"] = AdminKey,
            ["Manifold:Platforms:sora:Plugin"] = "sora",
            ["Manifold:Platforms:sora:BaseUrl"] = sora.BaseUrl,
            ["Manifold:Platforms:sora:Accounts:0:Key"] = "sk-sora-a",
            ["Manifold:Platforms:sora:Accounts:1:Key"] = "sk-sora-b",
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
            ["Manifold:Platforms:sandbox:VideoJobSeconds"] = "1",
            ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
            ["Manifold:Media:Path"] = Path.Combine(root, "media"),
            ["Manifold:Network:AllowPrivateAddresses"] = allowPrivateAddresses ? "true" : "false",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new CharacterGateway(root, sora, clips, downloads, new ManifoldFactory(settings), clip);
    }

    public HttpClient Client() => Manifold.CreateAuthorizedClient();

    /// <summary>A client with a new licence of its own.</summary>
    public async Task<HttpClient> OtherLicenceAsync()
    {
        using var admin = Manifold.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var created = await JsonAsync(await admin.PostAsync("/admin/api/licences", Json("""{"name":"other"}""")), HttpStatusCode.Created);
        var client = Manifold.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created["key"]!.GetValue<string>());
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The official form: <c>name</c> and a <c>video</c> file, as the SDK sends them (either may be left out).</summary>
    public static MultipartFormDataContent CharacterForm(string? name, byte[]? video, string? model = null)
    {
        var form = new MultipartFormDataContent();
        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }
        if (model is not null)
        {
            form.Add(new StringContent(model), "model");
        }
        if (video is not null)
        {
            var file = new ByteArrayContent(video);
            file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            form.Add(file, "video", "cat.mp4");
        }
        return form;
    }

    public static MultipartFormDataContent VideoForm(string model, string prompt) => new()
    {
        { new StringContent(model), "model" },
        { new StringContent(prompt), "prompt" },
        { new StringContent("4"), "seconds" },
        { new StringContent("1280x720"), "size" },
    };

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The 4xx, checked to be OpenAI's error shape, and the field it names.</summary>
    public static async Task<string?> RefusedAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var error = (await JsonAsync(response, status))["error"]!;
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.NotNull(error["type"]);
        return error["param"]?.GetValue<string>();
    }

    public static async Task<JsonNode> CompletedVideoAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var video = await JsonAsync(await client.GetAsync($"/v1/videos/{id}"));
            if (video["status"]!.GetValue<string>() is "completed" or "failed" || DateTime.UtcNow > deadline)
            {
                Assert.Equal("completed", video["status"]!.GetValue<string>());
                return video;
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Manifold.DisposeAsync();
        await Sora.DisposeAsync();
        await Clips.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
