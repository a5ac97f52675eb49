using System.Globalization;
using Manifold.Contracts;
using Manifold.Host.Platforms;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.MediaChat;

/// <summary>
/// A media model name's options as one platform takes them: a video's <c>size</c> and <c>seconds</c> (Sora's sizes; Veo's
/// plugin reads them as its aspect ratio and resolution), an image's <c>size</c> and <c>quality</c>. A length the
/// platform cannot make becomes the nearest one it can (a tie goes to the longer); nothing is refused for a length.
/// </summary>
internal static class MediaChatPlan
{
    /// <summary>The platforms whose upstream takes a storyboard; only the sandbox, which renders the whole length.</summary>
    public static bool TakesStoryboards(PlatformEntry entry) => entry.Settings.Plugin.Equals("sandbox", StringComparison.OrdinalIgnoreCase);

    /// <summary>The video's size (null: the platform's default) and length (null: the platform's default).</summary>
    public static (string? Size, string? Seconds) Video(PlatformEntry entry, string model, MediaModelName options)
    {
        var veo = entry.Settings.Plugin.Equals("veo", StringComparison.OrdinalIgnoreCase);
        // Veo's default is landscape, Sora's (and the sandbox's) portrait: -hd alone keeps the platform's way.
        var orientation = options.Orientation != MediaOrientation.Default ? options.Orientation
            : options.Hd ? (veo ? MediaOrientation.Landscape : MediaOrientation.Portrait)
            : MediaOrientation.Default;
        string? size = orientation switch
        {
            MediaOrientation.Portrait => options.Hd ? "1024x1792" : "720x1280",
            MediaOrientation.Landscape => options.Hd ? "1792x1024" : "1280x720",
            _ => null,
        };
        // A kind whose lengths are not known here (a third party's) takes Sora's, the Videos API's own.
        var lengths = VideoLengths.For(veo ? "veo" : "sora", model, veo && options.Hd)!;
        // Veo makes 1080p only at 8 seconds: asked for HD without a length, it gets the one it can make.
        var seconds = options.Seconds ?? (veo && options.Hd ? 8 : null);
        return (size, seconds is { } asked ? VideoLengths.Nearest(lengths, asked).ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The image's size (null: the platform's default) and quality (null: the default; <c>high</c> for HD).</summary>
    public static (string? Size, string? Quality) Image(string model, MediaModelName options)
    {
        var dalle3 = model.StartsWith("dall-e-3", StringComparison.OrdinalIgnoreCase);
        var size = options.Orientation switch
        {
            MediaOrientation.Portrait => dalle3 ? "1024x1792" : "1024x1536",
            MediaOrientation.Landscape => dalle3 ? "1792x1024" : "1536x1024",
            _ => null,
        };
        var quality = options.Hd ? (dalle3 ? "hd" : "high") : null;
        return (size, quality);
    }
}
