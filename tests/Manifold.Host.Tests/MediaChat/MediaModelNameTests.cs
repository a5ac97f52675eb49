using Manifold.Host.MediaChat;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Tests.MediaChat;

/// <summary>The one parser of media model names, prompt prefixes and storyboards, and the lengths a platform can make.</summary>
public sealed class MediaModelNameTests
{
    [Theory]
    [InlineData("sora-2", "sora-2", MediaOrientation.Default, false, null)]
    [InlineData("sora-2-landscape-8s", "sora-2", MediaOrientation.Landscape, false, 8d)]
    [InlineData("sora-2-portrait-hd", "sora-2", MediaOrientation.Portrait, true, null)]
    [InlineData("sora-2-pro-hd-portrait-12s", "sora-2-pro", MediaOrientation.Portrait, true, 12d)]
    [InlineData("veo-3.1-generate-preview-landscape-hd", "veo-3.1-generate-preview", MediaOrientation.Landscape, true, null)]
    [InlineData("sora_video2-portrait-hd-15s", "sora-2", MediaOrientation.Portrait, true, 15d)]
    [InlineData("sora_video2-landscape", "sora-2", MediaOrientation.Landscape, false, null)]
    [InlineData("sora-video-landscape-10s", "sora-2", MediaOrientation.Landscape, false, 10d)]
    [InlineData("sora-video-10s", "sora-2", MediaOrientation.Default, false, 10d)]
    [InlineData("sora-image-portrait", "gpt-image-1", MediaOrientation.Portrait, false, null)]
    [InlineData("gpt-image-1.5", "gpt-image-1.5", MediaOrientation.Default, false, null)]
    [InlineData("sandbox-video-7.5s", "sandbox-video", MediaOrientation.Default, false, 7.5d)]
    public void A_name_gives_its_model_and_options(string name, string model, MediaOrientation orientation, bool hd, double? seconds)
    {
        Assert.Equal(new MediaModelName(model, orientation, hd, seconds), MediaModelName.Parse(name));
    }

    [Fact]
    public void What_is_not_an_option_stays_in_the_name()
    {
        // Two orientations: only the last is an option, the other is part of the name.
        Assert.Equal(new MediaModelName("sora-2-landscape", MediaOrientation.Portrait, false, null), MediaModelName.Parse("sora-2-landscape-portrait"));
        Assert.Equal(new MediaModelName("veo-3.0-fast-generate-001", MediaOrientation.Default, false, null), MediaModelName.Parse("veo-3.0-fast-generate-001"));
        Assert.False(MediaModelName.Parse("veo-3.0-fast-generate-001").HasOptions);
    }

    [Fact]
    public void Prompt_prefixes_are_options_taken_off_the_prompt_and_the_model_name_wins()
    {
        var (prompt, options) = PromptOptions.Take("竖屏,15s,高清 一只猫在弹钢琴", MediaModelName.Parse("sora-2"));
        Assert.Equal("一只猫在弹钢琴", prompt);
        Assert.Equal(new MediaModelName("sora-2", MediaOrientation.Portrait, true, 15), options);

        var (together, joined) = PromptOptions.Take("横屏高清 动起来", MediaModelName.Parse("sora-2-portrait-8s"));
        Assert.Equal("动起来", together);
        Assert.Equal(new MediaModelName("sora-2", MediaOrientation.Portrait, true, 8), joined);

        var (plain, none) = PromptOptions.Take("A cat, 15s of it", MediaModelName.Parse("sora-2"));
        Assert.Equal("A cat, 15s of it", plain);
        Assert.False(none.HasOptions);
    }

    [Fact]
    public void Both_storyboard_forms_are_recognised_with_their_lengths()
    {
        var blocks = Storyboard.Parse("Shot 1:\nduration: 7.5sec\nScene: 飞机起飞\n\nShot 2:\nduration: 7.5sec\nScene: 飞机降落");
        var escaped = Storyboard.Parse("Shot 1:\\nduration: 5sec\\nScene: a\\n\\nShot 2:\\nduration: 3sec\\nScene: b");
        var brackets = Storyboard.Parse("[5.0s]猫猫从飞机上跳伞 [5.0s]猫猫降落 [10.0s]猫猫在田野奔跑");

        Assert.Equal([new StoryboardShot(7.5, "飞机起飞"), new StoryboardShot(7.5, "飞机降落")], blocks!.Shots);
        Assert.Equal(8, escaped!.TotalSeconds);
        Assert.Equal(["猫猫从飞机上跳伞", "猫猫降落", "猫猫在田野奔跑"], brackets!.Shots.Select(static s => s.Scene));
        Assert.Equal(20, brackets.TotalSeconds);
        Assert.Null(Storyboard.Parse("A shot of a cat [5s] later"));
        Assert.Null(Storyboard.Parse("Shot of a cat"));
    }

    [Theory]
    [InlineData(15, 12)]
    [InlineData(10, 12)] // a tie goes to the longer
    [InlineData(6, 8)]
    [InlineData(1, 4)]
    [InlineData(8, 8)]
    public void A_length_becomes_the_nearest_sora_makes(double asked, int made)
    {
        Assert.Equal(made, VideoLengths.Nearest([4, 8, 12], asked));
    }
}
