using System.Globalization;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Tasks.Generations;

/// <summary>
/// A /v2 video body as OpenAI's <see cref="CreateVideoRequest"/>, the language every video platform already speaks (each
/// plugin maps it to its upstream: Veo's <c>aspectRatio</c>/<c>resolution</c>/<c>durationSeconds</c> in VeoMapping).
/// <list type="bullet">
/// <item><c>aspect_ratio</c> 16:9 or 9:16 picks the orientation; <c>hd</c> (or <c>resolution: 1080p</c>, or the seeds'
/// Veo <c>enable_upsample</c>) the larger size: 1280x720 / 720x1280, HD 1792x1024 / 1024x1792. A <c>size</c> wins over both.</item>
/// <item><c>duration</c> becomes the nearest length the platform makes (ties to the longer); longer than its longest is a
/// 400 naming the lengths it makes, never a silently shorter video.</item>
/// <item><c>watermark</c> and <c>private</c> are accepted and kept: no upstream API has them (results are private to the
/// licence and its signed links anyway); the seeds' <c>enhance_prompt</c> likewise. Other extras go to the platform, which
/// passes or refuses them as its API does.</item>
/// </list>
/// </summary>
internal static class VideoGenerationMapping
{
    public const string Landscape = "16:9";
    public const string Portrait = "9:16";

    private static readonly string[] Accepted = ["watermark", "private", "enhance_prompt", "enable_upsample"];

    public static CreateVideoRequest Map(GenerationRequest body, string kind, string model)
    {
        if (GenerationFields.Strings(body.Videos, "videos").Count > 0)
        {
            throw GenerationFields.Invalid("videos",
                "'videos' (video-to-video) is not supported: none of the video platforms' APIs takes a client's video as input. Send 'images' for image-to-video.");
        }
        var extras = body.Extras ?? [];
        var hd = body.Hd == true || Resolution(body.Resolution) || (extras.TryGetValue("enable_upsample", out var upsample) && upsample.ValueKind == JsonValueKind.True);
        var size = body.Size;
        if (size is null && (body.AspectRatio is not null || hd))
        {
            size = (body.AspectRatio ?? Landscape) switch
            {
                Landscape => hd ? "1792x1024" : "1280x720",
                Portrait => hd ? "1024x1792" : "720x1280",
                var other => throw GenerationFields.Invalid("aspect_ratio", $"Invalid value for 'aspect_ratio': '{other}'. Supported values are: '16:9' and '9:16'."),
            };
        }
        var seconds = Seconds(GenerationFields.Duration(body.Duration), kind, model);
        if (kind == "sora" && hd && !model.StartsWith("sora-2-pro", StringComparison.OrdinalIgnoreCase) && body.Size is null)
        {
            // As OpenAI documents it (and the seeds say): the larger sizes are sora-2-pro's.
            throw GenerationFields.Invalid("hd", $"{model} makes 720x1280 and 1280x720 only; 'hd' (1792x1024, 1024x1792) needs sora-2-pro.");
        }
        if (kind == "veo" && hd)
        {
            if (model.StartsWith("veo-2", StringComparison.OrdinalIgnoreCase))
            {
                throw GenerationFields.Invalid("hd", $"{model} makes 720p only; 'hd' (1080p) needs a Veo 3 model.");
            }
            if (seconds is not (null or "8"))
            {
                throw GenerationFields.Invalid("duration", $"Veo makes 1080p ('hd') only at 8 seconds, not {seconds}.");
            }
        }
        var request = new CreateVideoRequest { Model = model, Prompt = body.Prompt!, Size = size, Seconds = seconds };
        return GenerationFields.WithExtras(request, extras.Where(static e => !Accepted.Contains(e.Key)).ToDictionary());
    }

    /// <summary>720p or 1080p (any case; the seeds also write 720P); 1080p means HD.</summary>
    private static bool Resolution(string? resolution) => resolution?.ToLowerInvariant() switch
    {
        null or "720p" => false,
        "1080p" => true,
        _ => throw GenerationFields.Invalid("resolution", $"Invalid value for 'resolution': '{resolution}'. Supported values are: '720p' and '1080p'."),
    };

    private static string? Seconds(double? asked, string kind, string model)
    {
        if (asked is not { } duration)
        {
            return null;
        }
        if (VideoLengths.For(kind, model) is not { } lengths)
        {
            return Math.Round(duration).ToString(CultureInfo.InvariantCulture);
        }
        if (duration > lengths[^1])
        {
            throw GenerationFields.Invalid("duration",
                $"Invalid value for 'duration': {duration.ToString(CultureInfo.InvariantCulture)}. {model} makes {string.Join(", ", lengths)} seconds.");
        }
        return VideoLengths.Nearest(lengths, duration).ToString(CultureInfo.InvariantCulture);
    }
}
