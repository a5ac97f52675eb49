using System.Globalization;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Gemini.Videos;
using Manifold.Contracts.OpenAI.Videos;

namespace Manifold.Host.Tasks.Gemini;

/// <summary>
/// The one mapping from Google's video request (<c>predictLongRunning</c>: <c>instances[0]</c> and <c>parameters</c>) to
/// a video job's request, in the OpenAI Videos shape every video platform already takes: <c>aspectRatio</c> and
/// <c>resolution</c> become <c>size</c> (the reverse of the veo platform's <c>VeoMapping</c>), <c>durationSeconds</c>
/// becomes <c>seconds</c>, an inline image becomes a <c>data:</c> URL <c>input_reference</c>. The platform then checks
/// what it can make; its refusals name OpenAI's fields, which <see cref="GoogleParam"/> turns back into Google's.
/// </summary>
internal static class GeminiVideoRequests
{
    public static CreateVideoRequest ToCreateVideo(string model, PredictLongRunningRequest request, string platformKind)
    {
        if (request.Instances.Count != 1)
        {
            throw Invalid("instances", $"'instances' must hold exactly one instance, not {request.Instances.Count}.");
        }
        var instance = request.Instances[0];
        Refuse(instance.AdditionalProperties, "instances[0]");
        if (string.IsNullOrWhiteSpace(instance.Prompt))
        {
            throw Invalid("instances[0].prompt", "'instances[0].prompt' is required: describe the video to make.");
        }
        if (instance.LastFrame is not null || instance.ReferenceImages is { Count: > 0 } || instance.Video is not null)
        {
            var field = instance.LastFrame is not null ? "lastFrame" : instance.ReferenceImages is { Count: > 0 } ? "referenceImages" : "video";
            throw Invalid($"instances[0].{field}", $"'instances[0].{field}' is not supported through Manifold's video jobs; send a prompt and at most one 'image'.");
        }
        var create = new CreateVideoRequest { Model = model, Prompt = instance.Prompt! };
        if (instance.Image is { } image)
        {
            create.InputReference = new ImageReference { ImageUrl = DataUrl(image) };
        }

        var parameters = request.Parameters;
        if (parameters is null)
        {
            return create;
        }
        Refuse(parameters.AdditionalProperties, "parameters");
        if (parameters.SampleCount is { } samples && samples != 1)
        {
            throw Invalid("parameters.sampleCount", $"'parameters.sampleCount' must be 1: a video job makes one video, not {samples}.");
        }
        create.Size = Size(parameters.AspectRatio, parameters.Resolution);
        if (parameters.DurationSeconds is { } seconds)
        {
            create.Seconds = seconds.ToString(CultureInfo.InvariantCulture);
        }
        var extras = new Dictionary<string, JsonElement>();
        Extra(extras, "negative_prompt", parameters.NegativePrompt, platformKind);
        Extra(extras, "person_generation", parameters.PersonGeneration, platformKind);
        Extra(extras, "seed", parameters.Seed, platformKind);
        create.AdditionalProperties = extras.Count > 0 ? extras : null;
        return create;
    }

    /// <summary>
    /// OpenAI's size for Google's aspect ratio and resolution, as the veo platform reads it back: 720p is 1280x720 or
    /// 720x1280, 1080p the larger Sora sizes (1792x1024, 1024x1792). Neither given: the platform's default.
    /// </summary>
    public static string? Size(string? aspectRatio, string? resolution)
    {
        if (aspectRatio is null && resolution is null)
        {
            return null;
        }
        var portrait = aspectRatio switch
        {
            null or "16:9" => false,
            "9:16" => true,
            _ => throw Invalid("parameters.aspectRatio", $"'parameters.aspectRatio' must be 16:9 or 9:16, not '{aspectRatio}'."),
        };
        return resolution switch
        {
            null or "720p" => portrait ? "720x1280" : "1280x720",
            "1080p" => portrait ? "1024x1792" : "1792x1024",
            _ => throw Invalid("parameters.resolution", $"'parameters.resolution' must be 720p or 1080p, not '{resolution}'."),
        };
    }

    /// <summary>The field of Google's request that an OpenAI field a platform refused came from.</summary>
    public static string? GoogleParam(string? openAIParam) => openAIParam switch
    {
        "seconds" => "parameters.durationSeconds",
        "size" => "parameters.aspectRatio",
        "input_reference" or "input_reference.image_url" => "instances[0].image",
        "negative_prompt" => "parameters.negativePrompt",
        "person_generation" => "parameters.personGeneration",
        "seed" => "parameters.seed",
        "model" => "model",
        _ => openAIParam,
    };

    private static string DataUrl(GoogleMedia image)
    {
        if (image.GcsUri is not null)
        {
            throw Invalid("instances[0].image.gcsUri", "'instances[0].image.gcsUri' is not supported: Manifold cannot read Cloud Storage; send the image inline as 'bytesBase64Encoded'.");
        }
        if (string.IsNullOrEmpty(image.BytesBase64Encoded))
        {
            throw Invalid("instances[0].image.bytesBase64Encoded", "'instances[0].image' needs 'bytesBase64Encoded' (the image, base64) and 'mimeType'.");
        }
        var type = image.MimeType ?? "";
        if (type is not ("image/png" or "image/jpeg" or "image/webp"))
        {
            throw Invalid("instances[0].image.mimeType", $"'instances[0].image.mimeType' must be image/png, image/jpeg or image/webp, not '{type}'.");
        }
        return $"data:{type};base64,{image.BytesBase64Encoded}";
    }

    /// <summary>Veo's own options (negativePrompt, personGeneration, seed): sent on to a veo platform, refused elsewhere.</summary>
    private static void Extra<T>(Dictionary<string, JsonElement> extras, string name, T? value, string platformKind)
    {
        if (value is null)
        {
            return;
        }
        var google = GoogleParam(name)!;
        if (platformKind != "veo")
        {
            throw Invalid(google, $"'{google}' is a Veo option; this platform ({platformKind}) cannot take it.");
        }
        extras[name] = JsonSerializer.SerializeToElement(value);
    }

    private static void Refuse(Dictionary<string, JsonElement>? unknown, string where)
    {
        if (unknown is { Count: > 0 })
        {
            var name = unknown.Keys.First();
            throw Invalid($"{where}.{name}", $"Unknown or unsupported field '{where}.{name}'.");
        }
    }

    private static ManifoldException Invalid(string param, string message) =>
        new(400, "invalid_request_error", message, param, "INVALID_ARGUMENT");
}
