using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Sora;

/// <summary>
/// Characters on the wire, as OpenAI's API documents them: the create form as the SDK writes it (a <c>name</c> text part
/// and the <c>video</c> file with its name and type), the read by the upstream's id, and a video's <c>characters</c> list
/// in the SDK's multipart encoding of a list of objects.
/// </summary>
public sealed class CharacterTests
{
    private const string Character = """{"id":"char_123","name":"Mochi","created_at":1765000000}""";

    [Fact]
    public async Task A_character_goes_upstream_as_the_sdks_form_and_the_answer_is_read_as_sent()
    {
        ReceivedForm? received = null;
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/videos/characters", async (HttpContext http) =>
        {
            received = await ReceivedForm.ReadAsync(http.Request);
            return Results.Text(Character, "application/json");
        }));
        var platform = (IVideoCharactersAdapter)SoraFakes.Platform(upstream.BaseUrl);
        using var clip = new TempFilePart("video", "mochi.mp4", "video/mp4", TempFilePart.RandomBytes(4096));

        var character = await platform.CreateVideoCharacterAsync(new CreateVideoCharacterForm { Name = "Mochi" }, new FileParts([clip.Part]), TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal(("POST", "/v1/videos/characters", "Bearer " + TestPlatforms.Key), (sent.Method, sent.RawTarget, sent.Header("Authorization")));
        Assert.Equal(["name"], received!.Fields.Keys);
        Assert.Equal("Mochi", received.Field("name"));
        var file = Assert.Single(received.Files);
        Assert.Equal(("video", "mochi.mp4", "video/mp4", 4096L, SoraFakes.Sha256(clip.Bytes)), (file.Name, file.FileName, file.ContentType, file.Length, file.Sha256));
        Assert.Equal(("char_123", "Mochi", 1765000000L), (character.Id, character.Name, character.CreatedAt));
        Assert.True(clip.IsClosed());
    }

    [Fact]
    public async Task A_character_is_read_by_its_escaped_upstream_id()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos/characters/{**id}", () => Results.Text(Character, "application/json")));
        var platform = (IVideoCharactersAdapter)SoraFakes.Platform(upstream.BaseUrl);

        var character = await platform.GetVideoCharacterAsync("char_1/../x y", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(("GET", "/v1/videos/characters/char_1%2F..%2Fx%20y"), (upstream.SingleRequest.Method, upstream.SingleRequest.RawTarget));
        Assert.Equal("Mochi", character.Name);
    }

    [Fact]
    public async Task A_videos_characters_list_goes_as_repeated_characters_id_parts()
    {
        ReceivedForm? received = null;
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/videos", async (HttpContext http) =>
        {
            received = await ReceivedForm.ReadAsync(http.Request);
            return Results.Text(SoraPayloads.QueuedVideo, "application/json");
        }));
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        var request = JsonSerializer.Deserialize<CreateVideoRequest>("""{"model":"sora-2","prompt":"Mochi and Pip dance","characters":[{"id":"char_1"},{"id":"char_2"}]}""", ManifoldJson.Options)!;

        await platform.CreateVideoAsync(request, FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["char_1", "char_2"], received!.Fields["characters[][id]"]);
        Assert.Equal("Mochi and Pip dance", received.Field("prompt"));
    }
}
