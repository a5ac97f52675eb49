using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;

namespace Manifold.Host.Tasks.Generations;

/// <summary>
/// A /v2 image body as an async OpenAI image job: without <c>images</c> a generation, with them an edit whose reference
/// images are the fetched files. The job is the same <c>async: true</c> job <c>POST /v1/images/…</c> makes, read back as
/// signed links (<c>response_format: url</c>).
/// <list type="bullet">
/// <item><c>aspect_ratio</c> becomes the platform's size: OpenAI's GPT image models have three sizes (1:1, 3:2, 2:3; a
/// wider or taller ratio takes the nearest of them), DALL·E 3 has 1792x1024 / 1024x1792 for 16:9 / 9:16, Gemini and the
/// sandbox take the ratio's own pixels (Gemini maps them to its aspect ratio). A <c>size</c> (or a <c>resolution</c> written
/// WIDTHxHEIGHT) wins.</item>
/// <item><c>hd</c> is the better quality where the platform has one: <c>high</c> (GPT image models, sandbox), <c>hd</c>
/// (DALL·E 3); Gemini's image models have no quality setting, so there it changes nothing.</item>
/// <item><c>duration</c> and <c>videos</c> are a 400 (an image has neither); <c>watermark</c> and <c>private</c> are accepted and
/// kept, with nothing to send (no image API has them); other extras (<c>n</c>, <c>quality</c>, <c>background</c>,
/// <c>output_format</c>, …) fill OpenAI's fields of the same name, and the platform refuses what it does not take, as for
/// <c>/v1/images</c>.</item>
/// </list>
/// </summary>
internal static class ImageGenerationMapping
{
    private static readonly string[] Accepted = ["watermark", "private"];

    /// <summary>Every aspect ratio /v2 takes for images, with its pixels where a platform takes any size.</summary>
    private static readonly Dictionary<string, string> Pixels = new()
    {
        ["1:1"] = "1024x1024",
        ["3:2"] = "1536x1024",
        ["2:3"] = "1024x1536",
        ["4:3"] = "1024x768",
        ["3:4"] = "768x1024",
        ["16:9"] = "1792x1024",
        ["9:16"] = "1024x1792",
    };

    public static bool IsEdit(GenerationRequest body) => GenerationFields.Strings(body.Images, "images").Count > 0;

    public static CreateImageRequest Generation(GenerationRequest body, string kind, string model)
    {
        var (size, quality) = Common(body, kind, model);
        var request = new CreateImageRequest { Model = model, Prompt = body.Prompt!, Size = size, Quality = quality, ResponseFormat = "url", Async = true };
        return GenerationFields.WithExtras(request, Extras(body));
    }

    public static CreateImageEditRequest Edit(GenerationRequest body, string kind, string model)
    {
        if (kind == "gemini")
        {
            throw GenerationFields.Invalid("images", $"Platform kind 'gemini' makes images from text only; reference 'images' are not supported on {model}.");
        }
        var (size, quality) = Common(body, kind, model);
        var request = new CreateImageEditRequest { Model = model, Prompt = body.Prompt!, Size = size, Quality = quality, ResponseFormat = "url", Async = true };
        return GenerationFields.WithExtras(request, Extras(body));
    }

    private static Dictionary<string, System.Text.Json.JsonElement> Extras(GenerationRequest body) =>
        (body.Extras ?? []).Where(static e => !Accepted.Contains(e.Key)).ToDictionary();

    private static (string? Size, string? Quality) Common(GenerationRequest body, string kind, string model)
    {
        if (body.Duration is { ValueKind: not System.Text.Json.JsonValueKind.Null })
        {
            throw GenerationFields.Invalid("duration", "'duration' is for videos; an image has none.");
        }
        if (GenerationFields.Strings(body.Videos, "videos").Count > 0)
        {
            throw GenerationFields.Invalid("videos", "'videos' is for /v2/videos/generations; images take reference 'images'.");
        }
        var size = body.Size;
        if (size is null && body.Resolution is { } resolution)
        {
            size = resolution.Contains('x', StringComparison.Ordinal)
                ? resolution
                : throw GenerationFields.Invalid("resolution", $"Invalid value for 'resolution': '{resolution}'. For images send WIDTHxHEIGHT, or use 'size' or 'aspect_ratio'.");
        }
        if (size is null && body.AspectRatio is { } ratio)
        {
            if (!Pixels.TryGetValue(ratio, out var pixels))
            {
                throw GenerationFields.Invalid("aspect_ratio", $"Invalid value for 'aspect_ratio': '{ratio}'. Supported values are: {string.Join(", ", Pixels.Keys.Select(static k => $"'{k}'"))}.");
            }
            size = kind == "openai" ? OpenAISize(ratio, model) : pixels;
        }
        string? quality = body.Hd == true
            ? kind switch
            {
                "openai" when model.StartsWith("dall-e", StringComparison.OrdinalIgnoreCase) => "hd",
                "openai" or "sandbox" => "high",
                _ => null,
            }
            : null;
        return (size, quality);
    }

    private static string OpenAISize(string ratio, string model)
    {
        var landscape = ratio is "3:2" or "4:3" or "16:9";
        var portrait = ratio is "2:3" or "3:4" or "9:16";
        if (model.StartsWith("dall-e-3", StringComparison.OrdinalIgnoreCase))
        {
            return landscape ? "1792x1024" : portrait ? "1024x1792" : "1024x1024";
        }
        if (model.StartsWith("dall-e", StringComparison.OrdinalIgnoreCase))
        {
            return "1024x1024";
        }
        return landscape ? "1536x1024" : portrait ? "1024x1536" : "1024x1024";
    }
}
