using Manifold.Contracts;
using Manifold.Contracts.Gemini.Predict;
using Manifold.Contracts.OpenAI.Images;

namespace Manifold.Host.Tasks.Gemini;

/// <summary>
/// The one mapping from Imagen's <c>:predict</c> request to an Images API generation, which every image platform takes:
/// <c>sampleCount</c> is <c>n</c>, <c>aspectRatio</c> a <c>size</c> the platform can make, <c>outputOptions</c> the
/// output format and compression. Refusals by the platform name OpenAI's fields; <see cref="GoogleParam"/> names Google's.
/// </summary>
internal static class ImagenRequests
{
    public static CreateImageRequest ToCreateImage(string model, PredictImagesRequest request, string platformKind)
    {
        if (request.Instances.Count != 1)
        {
            throw Invalid("instances", $"'instances' must hold exactly one instance, not {request.Instances.Count}.");
        }
        var instance = request.Instances[0];
        if (instance.AdditionalProperties is { Count: > 0 } unknownInstance)
        {
            throw Invalid($"instances[0].{unknownInstance.Keys.First()}", $"Unknown or unsupported field 'instances[0].{unknownInstance.Keys.First()}'.");
        }
        if (string.IsNullOrWhiteSpace(instance.Prompt))
        {
            throw Invalid("instances[0].prompt", "'instances[0].prompt' is required: describe the image to make.");
        }
        var create = new CreateImageRequest
        {
            Model = model,
            Prompt = instance.Prompt!,
            // DALL·E answers URLs unless asked; Imagen's answer is bytes.
            ResponseFormat = model.StartsWith("dall-e", StringComparison.OrdinalIgnoreCase) ? "b64_json" : null,
        };
        if (request.Parameters is not { } parameters)
        {
            return create;
        }
        foreach (var (name, _) in parameters.AdditionalProperties ?? [])
        {
            // The SDK's own defaults that change nothing Manifold makes are let through; anything else is named.
            if (name is not ("addWatermark" or "includeRaiReason" or "includeSafetyAttributes" or "safetySetting" or "enhancePrompt"))
            {
                throw Invalid($"parameters.{name}", $"Unknown or unsupported field 'parameters.{name}'.");
            }
        }
        if (parameters.NegativePrompt is not null || parameters.PersonGeneration is not null || parameters.Seed is not null)
        {
            var field = parameters.NegativePrompt is not null ? "negativePrompt" : parameters.PersonGeneration is not null ? "personGeneration" : "seed";
            throw Invalid($"parameters.{field}", $"'parameters.{field}' is not supported through Manifold's image platforms.");
        }
        if (parameters.SampleCount is { } count)
        {
            create.N = count;
        }
        create.Size = Size(parameters.AspectRatio, platformKind);
        if (parameters.OutputOptions is { } output)
        {
            create.OutputFormat = output.MimeType switch
            {
                null => null,
                "image/png" => "png",
                "image/jpeg" => "jpeg",
                "image/webp" => "webp",
                _ => throw Invalid("parameters.outputOptions.mimeType", $"'parameters.outputOptions.mimeType' must be image/png, image/jpeg or image/webp, not '{output.MimeType}'."),
            };
            create.OutputCompression = output.CompressionQuality;
        }
        return create;
    }

    /// <summary>
    /// The size for an aspect ratio: Imagen's own pixels (1408x768 for 16:9, …) where the platform makes any size
    /// (sandbox) or picks the ratio nearest the size (gemini); GPT image models' nearest of their three sizes on openai.
    /// </summary>
    public static string? Size(string? aspectRatio, string platformKind)
    {
        if (aspectRatio is null)
        {
            return null;
        }
        var openai = platformKind == "openai";
        return aspectRatio switch
        {
            "1:1" => "1024x1024",
            "16:9" => openai ? "1536x1024" : "1408x768",
            "4:3" => openai ? "1536x1024" : "1280x896",
            "9:16" => openai ? "1024x1536" : "768x1408",
            "3:4" => openai ? "1024x1536" : "896x1280",
            _ => throw Invalid("parameters.aspectRatio", $"'parameters.aspectRatio' must be 1:1, 3:4, 4:3, 9:16 or 16:9, not '{aspectRatio}'."),
        };
    }

    public static string? GoogleParam(string? openAIParam) => openAIParam switch
    {
        "n" => "parameters.sampleCount",
        "size" => "parameters.aspectRatio",
        "output_format" => "parameters.outputOptions.mimeType",
        "output_compression" => "parameters.outputOptions.compressionQuality",
        "prompt" => "instances[0].prompt",
        _ => openAIParam,
    };

    private static ManifoldException Invalid(string param, string message) =>
        new(400, "invalid_request_error", message, param, "INVALID_ARGUMENT");
}
