using System.Net;
using System.Security.Cryptography;
using static Manifold.Host.Tests.Characters.CharacterGateway;

namespace Manifold.Host.Tests.Characters;

/// <summary>
/// OpenAI's <c>POST /v1/videos/characters</c> and <c>GET /v1/videos/characters/{id}</c> through the real host, on a
/// <c>sora</c> platform (a loopback fake of the API) and on the offline sandbox: Manifold's ids, the upload reaching the
/// upstream as sent, the licence that made a character the only one that reads it, and the API's 400s for a bad form.
/// </summary>
public sealed class OfficialCharacterTests
{
    [Fact]
    public async Task A_character_made_on_sora_has_manifolds_id_the_upload_reaches_the_upstream_and_a_read_goes_to_the_same_account()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();

        var created = await JsonAsync(await client.PostAsync("/sora/v1/videos/characters", CharacterForm("Mochi", gateway.Clip)));
        var id = created["id"]!.GetValue<string>();
        var read = await JsonAsync(await client.GetAsync($"/v1/videos/characters/{id}"));
        var underPrefix = await JsonAsync(await client.GetAsync($"/sora/v1/videos/characters/{id}"));

        Assert.Matches("^char_[0-9a-f]{32}$", id);
        Assert.Equal("Mochi", created["name"]!.GetValue<string>());
        Assert.Equal(1765000000, created["created_at"]!.GetValue<long>());
        var upstream = Assert.Single(gateway.Sora.Characters);
        Assert.NotEqual(upstream.UpstreamId, id);
        Assert.Equal(("Mochi", Convert.ToHexStringLower(SHA256.HashData(gateway.Clip))), (upstream.Name, upstream.Sha256));
        Assert.Equal((id, "Mochi", 1765000000L), (read["id"]!.GetValue<string>(), read["name"]!.GetValue<string>(), read["created_at"]!.GetValue<long>()));
        Assert.Equal(id, underPrefix["id"]!.GetValue<string>());
        // Both reads asked for the upstream's id, with the key of the account that made the character.
        Assert.All(gateway.Sora.Reads, r => Assert.Equal((upstream.Key, upstream.UpstreamId), r));
        Assert.Equal(2, gateway.Sora.Reads.Count);
    }

    [Fact]
    public async Task The_sandbox_makes_and_reads_characters_offline_and_refuses_a_file_that_is_not_a_video()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();

        var created = await JsonAsync(await client.PostAsync("/sandbox/v1/videos/characters", CharacterForm("Pixel", gateway.Clip)));
        var read = await JsonAsync(await client.GetAsync($"/v1/videos/characters/{created["id"]!.GetValue<string>()}"));
        var notVideo = await client.PostAsync("/sandbox/v1/videos/characters", CharacterForm("Pixel", "not a video at all"u8.ToArray()));

        Assert.Equal(("Pixel", "Pixel"), (created["name"]!.GetValue<string>(), read["name"]!.GetValue<string>()));
        Assert.Equal(created["created_at"]!.GetValue<long>(), read["created_at"]!.GetValue<long>());
        Assert.Equal("video", await RefusedAsync(notVideo));
    }

    [Fact]
    public async Task A_form_without_name_or_video_or_with_a_long_name_is_a_400_in_openais_shape_and_reaches_no_upstream()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();

        var noName = await client.PostAsync("/sora/v1/videos/characters", CharacterForm(null, gateway.Clip));
        var noVideo = await client.PostAsync("/sora/v1/videos/characters", CharacterForm("Mochi", null));
        var longName = await client.PostAsync("/sora/v1/videos/characters", CharacterForm(new string('n', 81), gateway.Clip));
        var json = await client.PostAsync("/sora/v1/videos/characters", Json("""{"name":"Mochi"}"""));

        Assert.Equal("name", await RefusedAsync(noName));
        Assert.Equal("video", await RefusedAsync(noVideo));
        Assert.Equal("name", await RefusedAsync(longName));
        Assert.True(json.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType, $"{(int)json.StatusCode}");
        Assert.Empty(gateway.Sora.Characters);
    }

    [Fact]
    public async Task Another_licences_character_and_an_unknown_id_are_the_same_404_and_the_wrong_platform_prefix_too()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();
        using var other = await gateway.OtherLicenceAsync();
        var id = (await JsonAsync(await client.PostAsync("/sora/v1/videos/characters", CharacterForm("Mochi", gateway.Clip))))["id"]!.GetValue<string>();

        var byOther = await other.GetAsync($"/v1/videos/characters/{id}");
        var unknown = await client.GetAsync("/v1/videos/characters/char_00000000000000000000000000000000");
        var junk = await client.GetAsync("/v1/videos/characters/not-an-id");
        var wrongPrefix = await client.GetAsync($"/sandbox/v1/videos/characters/{id}");

        foreach (var response in new[] { byOther, unknown, junk, wrongPrefix })
        {
            await RefusedAsync(response, HttpStatusCode.NotFound);
        }
        Assert.Empty(gateway.Sora.Reads);
    }

    [Fact]
    public async Task At_the_root_the_model_picks_the_platform_and_without_one_several_character_platforms_are_a_400_naming_model()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();

        var ambiguous = await client.PostAsync("/v1/videos/characters", CharacterForm("Mochi", gateway.Clip));
        var bySora = await JsonAsync(await client.PostAsync("/v1/videos/characters", CharacterForm("Mochi", gateway.Clip, model: "sora-2")));
        var bySandbox = await JsonAsync(await client.PostAsync("/v1/videos/characters", CharacterForm("Pixel", gateway.Clip, model: "sandbox-video")));

        Assert.Equal("model", await RefusedAsync(ambiguous));
        Assert.Equal("Mochi", Assert.Single(gateway.Sora.Characters).Name);
        Assert.Equal("Pixel", bySandbox["name"]!.GetValue<string>());
        Assert.NotEqual(bySora["id"]!.GetValue<string>(), bySandbox["id"]!.GetValue<string>());
    }
}
