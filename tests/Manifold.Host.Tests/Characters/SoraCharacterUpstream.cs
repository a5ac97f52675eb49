using System.Collections.Concurrent;
using System.Security.Cryptography;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Characters;

/// <summary>
/// OpenAI's Videos API as far as characters go, on a loopback port: <c>POST /v1/videos/characters</c> (multipart
/// <c>name</c> and a <c>video</c> file, refused as the API refuses them: a missing part or a name over 80 characters is its
/// 400), <c>GET /v1/videos/characters/{id}</c>, and <c>POST /v1/videos</c> / <c>GET /v1/videos/{id}</c> for jobs that
/// refer to them. Each upload is measured with ffprobe, and each call's key is kept, so tests see what reached the upstream.
/// </summary>
internal sealed class SoraCharacterUpstream : IAsyncDisposable
{
    private readonly LoopbackUpstream _server;
    private readonly ConcurrentDictionary<string, string> _names = new();

    private SoraCharacterUpstream(LoopbackUpstream server) => _server = server;

    public string BaseUrl => _server.Root + "/v1";

    /// <summary>Each character created: the key it came with, its name, the upload's SHA-256 and duration (ffprobe).</summary>
    public ConcurrentQueue<(string Key, string Name, string Sha256, double Seconds, string UpstreamId)> Characters { get; } = new();

    /// <summary>Each character read: the key and the id asked for.</summary>
    public ConcurrentQueue<(string Key, string Id)> Reads { get; } = new();

    /// <summary>Each video job created: the key and every form field as sent.</summary>
    public ConcurrentQueue<(string Key, Dictionary<string, string[]> Fields)> Videos { get; } = new();

    public static async Task<SoraCharacterUpstream> StartAsync()
    {
        SoraCharacterUpstream? fake = null;
        var server = await LoopbackUpstream.StartAsync(app =>
        {
            app.MapPost("/v1/videos/characters", (Delegate)((HttpContext http) => fake!.CreateCharacterAsync(http)));
            app.MapGet("/v1/videos/characters/{id}", (HttpContext http, string id) => fake!.GetCharacter(http, id));
            app.MapPost("/v1/videos", (Delegate)((HttpContext http) => fake!.CreateVideoAsync(http)));
            app.MapGet("/v1/videos/{id}", (string id) => Results.Json(Video(id, "in_progress")));
        });
        fake = new SoraCharacterUpstream(server);
        return fake;
    }

    private async Task<IResult> CreateCharacterAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
        {
            return Error(400, "Expected multipart/form-data.", null);
        }
        var form = await http.Request.ReadFormAsync();
        if (!form.TryGetValue("name", out var names) || string.IsNullOrEmpty(names.ToString()))
        {
            return Error(400, "Missing required parameter: 'name'.", "name");
        }
        if (names.ToString().Length > 80)
        {
            return Error(400, "Invalid 'name': string too long. Expected a string with maximum length 80.", "name");
        }
        if (form.Files.GetFile("video") is not { } video)
        {
            return Error(400, "Missing required parameter: 'video'.", "video");
        }
        var path = Path.Combine(Path.GetTempPath(), "manifold-fake-sora-" + Guid.NewGuid().ToString("N") + ".mp4");
        try
        {
            await using (var file = File.Create(path))
            {
                await video.CopyToAsync(file);
            }
            var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
            var seconds = await Ffmpegs.DurationAsync(path);
            var id = "char_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _names[id] = names.ToString();
            Characters.Enqueue((Key(http), names.ToString(), sha, seconds, id));
            return Results.Json(new { id, name = names.ToString(), created_at = 1765000000 });
        }
        finally
        {
            File.Delete(path);
        }
    }

    private IResult GetCharacter(HttpContext http, string id)
    {
        Reads.Enqueue((Key(http), id));
        return _names.TryGetValue(id, out var name)
            ? Results.Json(new { id, name, created_at = 1765000000 })
            : Error(404, $"Character '{id}' not found.", null);
    }

    private async Task<IResult> CreateVideoAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        Videos.Enqueue((Key(http), form.ToDictionary(static f => f.Key, static f => f.Value.Select(static v => v ?? "").ToArray())));
        return Results.Json(Video("video_up_" + Videos.Count, "queued"));
    }

    private static object Video(string id, string status) => new
    {
        id, @object = "video", model = "sora-2", status, progress = status == "queued" ? 0 : 40, created_at = 1765000000,
        completed_at = (long?)null, expires_at = (long?)null, prompt = "", size = "720x1280", seconds = "4", remixed_from_video_id = (string?)null, error = (object?)null,
    };

    private static string Key(HttpContext http) => http.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal);

    private static IResult Error(int status, string message, string? param) =>
        Results.Json(new { error = new { message, type = "invalid_request_error", param, code = (string?)null } }, statusCode: status);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
