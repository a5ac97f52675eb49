using System.Text.Json.Nodes;
using static Manifold.Host.Tests.Characters.CharacterGateway;

namespace Manifold.Host.Tests.Characters;

/// <summary>
/// <c>@name</c> in a video prompt: on Sora it becomes what OpenAI's API takes (the name, verbatim, in the prompt, and the
/// character's id in <c>characters</c>), on the account that made the character; on the sandbox the job records it; a
/// name the licence did not make stays text.
/// </summary>
public sealed class MentionTests
{
    [Fact]
    public async Task A_mention_reaches_sora_as_the_name_in_the_prompt_and_the_upstream_id_in_characters_on_the_characters_account()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();
        var character = (await JsonAsync(await client.PostAsync("/sora/v1/videos/characters", CharacterForm("Mochi", gateway.Clip))))["id"]!.GetValue<string>();
        var made = Assert.Single(gateway.Sora.Characters);

        // Several jobs, so the pool's rotation would reach the other account were the jobs not pinned.
        for (var i = 0; i < 3; i++)
        {
            await JsonAsync(await client.PostAsync("/v1/videos", VideoForm("sora-2", "@Mochi dances on a stage with @stranger, then @Mochi.")));
        }
        var detail = await JsonAsync(await client.GetAsync($"/v1/videos/{(await JsonAsync(await client.GetAsync("/v1/videos?limit=1")))["data"]![0]!["id"]!.GetValue<string>()}?detail=true"));

        Assert.Equal(3, gateway.Sora.Videos.Count);
        foreach (var (key, fields) in gateway.Sora.Videos)
        {
            Assert.Equal(made.Key, key);
            Assert.Equal("Mochi dances on a stage with @stranger, then Mochi.", Assert.Single(fields["prompt"]));
            Assert.Equal(made.UpstreamId, Assert.Single(fields["characters[][id]"]));
        }
        // The job keeps the client's prompt and names the character by Manifold's id.
        var parameters = detail["detail"]!["parameters"]!;
        Assert.Equal("@Mochi dances on a stage with @stranger, then @Mochi.", parameters["prompt"]!.GetValue<string>());
        Assert.Equal(character, parameters["characters"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_licences_name_and_a_name_made_on_another_platform_stay_text()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();
        using var other = await gateway.OtherLicenceAsync();
        await JsonAsync(await client.PostAsync("/sora/v1/videos/characters", CharacterForm("Mochi", gateway.Clip)));
        await JsonAsync(await client.PostAsync("/sandbox/v1/videos/characters", CharacterForm("Pixel", gateway.Clip)));

        await JsonAsync(await other.PostAsync("/v1/videos", VideoForm("sora-2", "@Mochi waves")));
        await JsonAsync(await client.PostAsync("/v1/videos", VideoForm("sora-2", "@Pixel waves")));

        Assert.All(gateway.Sora.Videos, v => Assert.False(v.Fields.ContainsKey("characters[][id]")));
        Assert.Equal(["@Mochi waves", "@Pixel waves"], gateway.Sora.Videos.Select(static v => v.Fields["prompt"].Single()).Order());
    }

    [Fact]
    public async Task On_the_sandbox_a_mentioned_character_is_recorded_on_the_job_and_shown_in_its_detail()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client();
        var character = (await JsonAsync(await client.PostAsync("/sandbox/v1/videos/characters", CharacterForm("Pixel", gateway.Clip))))["id"]!.GetValue<string>();

        var job = (await JsonAsync(await client.PostAsync("/v1/videos", VideoForm("sandbox-video", "@Pixel flies a kite"))))["id"]!.GetValue<string>();
        await CompletedVideoAsync(client, job);
        var detail = (await JsonAsync(await client.GetAsync($"/v1/videos/{job}?detail=true")))["detail"]!["parameters"]!;
        var plain = (await JsonAsync(await client.GetAsync("/v1/videos")))["data"]!.AsArray().Single(v => v!["id"]!.GetValue<string>() == job)!;

        Assert.Equal(JsonNode.Parse($$"""[{"id":"{{character}}","name":"Pixel"}]""")!.ToJsonString(), detail["characters"]!.ToJsonString());
        Assert.Equal("@Pixel flies a kite", plain["prompt"]!.GetValue<string>());
    }
}
