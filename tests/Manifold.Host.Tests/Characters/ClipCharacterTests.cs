using System.Net;
using static Manifold.Host.Tests.Characters.CharacterGateway;

namespace Manifold.Host.Tests.Characters;

/// <summary>
/// The seeds' <c>POST /sora/v1/characters</c> through the real host: a clip cut by ffmpeg from a client's URL (a loopback
/// server, allowed only with <c>Manifold__Network__AllowPrivateAddresses</c>) or from a finished video job, measured by
/// ffprobe in the fake upstream, and every malformed request refused with a 400 naming its field before anything is fetched.
/// </summary>
public sealed class ClipCharacterTests
{
    [Fact]
    public async Task A_clip_from_a_url_reaches_sora_cut_to_the_asked_seconds_and_the_answer_has_the_seeds_and_the_official_fields()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();

        var created = await JsonAsync(await client.PostAsync("/sora/v1/characters",
            Json($$"""{"url":"{{gateway.Clips.Root}}/clip.mp4","timestamps":"1,3","username":"cat_one"}""")));

        var upstream = Assert.Single(gateway.Sora.Characters);
        Assert.InRange(upstream.Seconds, 1.9, 2.15);
        Assert.Equal("cat_one", upstream.Name);
        var id = created["id"]!.GetValue<string>();
        Assert.Matches("^char_[0-9a-f]{32}$", id);
        Assert.Equal(("cat_one", "cat_one"), (created["username"]!.GetValue<string>(), created["name"]!.GetValue<string>()));
        Assert.EndsWith($"/v1/videos/characters/{id}", created["permalink"]!.GetValue<string>(), StringComparison.Ordinal);
        // The profile picture is a frame of the clip, behind a signed link that needs no licence.
        using var anonymous = gateway.Manifold.CreateClient();
        var picture = await anonymous.GetAsync(created["profile_picture_url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.Equal("image/jpeg", picture.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0xFF, 0xD8], (await picture.Content.ReadAsByteArrayAsync())[..2]);
        // The same character through the official read.
        Assert.Equal("cat_one", (await JsonAsync(await client.GetAsync($"/v1/videos/characters/{id}")))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_clip_from_a_finished_sandbox_job_makes_a_character_on_the_sandbox_and_on_sora_and_a_name_is_made_when_none_is_given()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();
        var job = (await JsonAsync(await client.PostAsync("/v1/videos", VideoForm("sandbox-video", "a red kite"))))["id"]!.GetValue<string>();
        await CompletedVideoAsync(client, job);

        var onSandbox = await JsonAsync(await client.PostAsync("/sandbox/v1/characters", Json($$"""{"from_task":"{{job}}","timestamps":"0.5,2"}""")));
        var onSora = await JsonAsync(await client.PostAsync("/sora/v1/characters", Json($$"""{"from_task":"{{job}}","timestamps":"2,4","name":"kite"}""")));

        Assert.Matches("^char[0-9a-f]{10}$", onSandbox["username"]!.GetValue<string>());
        var upstream = Assert.Single(gateway.Sora.Characters);
        Assert.Equal("kite", upstream.Name);
        Assert.InRange(upstream.Seconds, 1.9, 2.15);
        Assert.Equal("kite", onSora["username"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("3,1")]
    [InlineData("1,1")]
    [InlineData("1,5")]
    [InlineData("1,1.5")]
    [InlineData("abc")]
    [InlineData("1,2,3")]
    [InlineData("-1,1")]
    [InlineData("2.5,4.5")]
    public async Task Timestamps_that_are_malformed_backwards_too_short_too_long_or_past_the_end_are_a_400_naming_timestamps(string timestamps)
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();

        var response = await client.PostAsync("/sora/v1/characters", Json($$"""{"url":"{{gateway.Clips.Root}}/clip.mp4","timestamps":"{{timestamps}}"}"""));

        Assert.Equal("timestamps", await RefusedAsync(response));
        Assert.Empty(gateway.Sora.Characters);
        // Only a clip past the video's end (4 s) needs the video to be refused; the others are refused before any download.
        Assert.Equal(timestamps == "2.5,4.5" ? 1 : 0, gateway.ClipDownloads);
    }

    [Fact]
    public async Task Both_sources_neither_another_licences_job_a_running_job_and_a_missing_timestamps_are_refused_naming_the_field()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();
        using var other = await gateway.OtherLicenceAsync();
        var job = (await JsonAsync(await client.PostAsync("/v1/videos", VideoForm("sandbox-video", "a red kite"))))["id"]!.GetValue<string>();
        var url = gateway.Clips.Root + "/clip.mp4";

        Assert.Equal("from_task", await RefusedAsync(await client.PostAsync("/sora/v1/characters", Json($$"""{"url":"{{url}}","from_task":"{{job}}","timestamps":"1,3"}"""))));
        Assert.Equal("url", await RefusedAsync(await client.PostAsync("/sora/v1/characters", Json("""{"timestamps":"1,3"}"""))));
        Assert.Equal("from_task", await RefusedAsync(await client.PostAsync("/sora/v1/characters", Json($$"""{"from_task":"{{job}}","timestamps":"1,3"}"""))));
        Assert.Equal("from_task", await RefusedAsync(await other.PostAsync("/sora/v1/characters", Json($$"""{"from_task":"{{job}}","timestamps":"1,3"}""")), HttpStatusCode.NotFound));
        Assert.Equal("timestamps", await RefusedAsync(await client.PostAsync("/sora/v1/characters", Json($$"""{"url":"{{url}}"}"""))));
        Assert.Equal("username", await RefusedAsync(await client.PostAsync("/sora/v1/characters", Json($$"""{"url":"{{url}}","timestamps":"1,3","username":"two words"}"""))));
        Assert.Empty(gateway.Sora.Characters);
    }

    [Fact]
    public async Task A_url_to_a_private_address_is_refused_without_the_development_flag_and_never_fetched()
    {
        await using var gateway = await StartAsync(allowPrivateAddresses: false);
        using var client = gateway.Client();

        var response = await client.PostAsync("/sora/v1/characters", Json($$"""{"url":"{{gateway.Clips.Root}}/clip.mp4","timestamps":"1,3"}"""));

        Assert.Equal("url", await RefusedAsync(response));
        Assert.Equal(0, gateway.ClipDownloads);
        Assert.Empty(gateway.Sora.Characters);
    }

    [Fact]
    public async Task Without_ffmpeg_the_endpoint_answers_503_naming_the_cause()
    {
        await using var gateway = await StartAsync(extra: new Dictionary<string, string?>
        {
            ["Manifold:Characters:Ffprobe"] = "/nonexistent/ffprobe",
            ["Manifold:Characters:Ffmpeg"] = "/nonexistent/ffmpeg",
        });
        using var client = gateway.Client();

        var response = await client.PostAsync("/sora/v1/characters", Json($$"""{"url":"{{gateway.Clips.Root}}/clip.mp4","timestamps":"1,3"}"""));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("ffmpeg_unavailable", text, StringComparison.Ordinal);
        Assert.Contains("ffprobe", text, StringComparison.Ordinal);
        Assert.Empty(gateway.Sora.Characters);
    }
}
