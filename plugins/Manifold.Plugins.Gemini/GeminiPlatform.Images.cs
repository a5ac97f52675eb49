using System.Globalization;
using System.Runtime.CompilerServices;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using G = Manifold.Contracts.Gemini;

namespace Manifold.Plugins.Gemini;

/// <summary>
/// OpenAI's <c>POST /v1/images/generations</c> (not streamed) served by Gemini's image-output models
/// (<c>gemini-2.5-flash-image</c>, <c>gemini-3-pro-image-preview</c>) through <c>generateContent</c>: the prompt as one user
/// text part, <c>generationConfig: {responseModalities: ["IMAGE"], imageConfig: {aspectRatio}}</c>, the aspect ratio
/// nearest the asked <c>size</c> (none for <c>auto</c>, the model's default). Google documents no <c>candidateCount</c> for
/// image models, so <c>n</c> images are <c>n</c> calls, their usage summed. The images come back as <c>b64_json</c> from the
/// answer's <c>inlineData</c>. What Gemini cannot honour (quality, a transparent background, formats other than PNG, URLs,
/// streaming, partial images, edits) is refused with a 400 naming the field, never dropped; a prompt Google blocks is
/// OpenAI's 400 <c>moderation_blocked</c>.
/// </summary>
internal sealed partial class GeminiPlatform : IImagesAdapter
{
    private const int MaxImages = 10;

    /// <summary>The aspect ratios Google's image generation guide lists for its image models, as width / height.</summary>
    private static readonly (string Name, double Ratio)[] AspectRatios =
    [
        ("1:1", 1.0), ("2:3", 2.0 / 3), ("3:2", 3.0 / 2), ("3:4", 3.0 / 4), ("4:3", 4.0 / 3), ("4:5", 4.0 / 5), ("5:4", 5.0 / 4),
        ("9:16", 9.0 / 16), ("16:9", 16.0 / 9), ("21:9", 21.0 / 9),
    ];

    // Finish and block reasons that mean Google's safety systems refused the prompt or the picture.
    private static readonly HashSet<string> SafetyReasons =
    [
        "SAFETY", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "RECITATION", "IMAGE_RECITATION",
    ];

    public async Task<ImagesResponse> CreateImageAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var (model, count, body) = ImageCall(request);
        var data = new List<Image>(count);
        string? format = null;
        var usage = new ImageGenUsage { InputTokensDetails = new ImageGenInputUsageDetails() };
        for (var i = 0; i < count; i++)
        {
            var answer = await GenerateContentAsync(model, body, context, cancellationToken).ConfigureAwait(false);
            var (b64, mimeType) = ImageOf(answer);
            var imageFormat = FormatOf(mimeType);
            if (format is not null && format != imageFormat)
            {
                throw new UpstreamException(502, "upstream_error",
                    $"Upstream of platform '{Name}' answered images of different types ({format}, {imageFormat}) for one request.", code: "invalid_upstream_response");
            }
            format = imageFormat;
            data.Add(new Image { B64Json = b64 });
            Add(usage, answer.UsageMetadata);
        }
        return new ImagesResponse
        {
            Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Data = data,
            OutputFormat = format,
            Usage = usage,
        };
    }

    public async IAsyncEnumerable<ImageGenStreamEvent> CreateImageStreamAsync(
        CreateImageRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        throw Unsupported("stream", "stream: true is not supported by Gemini image models; ask without stream.");
#pragma warning disable CS0162 // The iterator only refuses; the yield makes it one.
        yield break;
#pragma warning restore CS0162
    }

    public Task<ImagesResponse> CreateImageEditAsync(CreateImageEditRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken) =>
        Task.FromException<ImagesResponse>(EditsUnsupported());

    public async IAsyncEnumerable<ImageEditStreamEvent> CreateImageEditStreamAsync(
        CreateImageEditRequest request, FileParts files, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        throw EditsUnsupported();
#pragma warning disable CS0162 // The iterator only refuses; the yield makes it one.
        yield break;
#pragma warning restore CS0162
    }

    private static UpstreamException EditsUnsupported() =>
        Unsupported("image", "Image edits (POST /v1/images/edits) are not supported by Gemini image models on this platform; use /v1/images/generations.");

    /// <summary>The model, the number of calls and the one body each call sends; every field Gemini cannot honour is refused.</summary>
    private static (string Model, int Count, G.GenerateContentRequest Body) ImageCall(CreateImageRequest request)
    {
        if (string.IsNullOrEmpty(request.Model))
        {
            throw new UpstreamException(400, "invalid_request_error", "Missing required parameter: 'model' (a Gemini image model, e.g. 'gemini-2.5-flash-image').",
                "model", "missing_required_parameter");
        }
        if (string.IsNullOrEmpty(request.Prompt))
        {
            throw new UpstreamException(400, "invalid_request_error",
                "Invalid 'prompt': string too short. Expected a string with minimum length 1, but got an empty string instead.", "prompt", "string_below_min_length");
        }
        var count = request.N ?? 1;
        if (count is < 1 or > MaxImages)
        {
            throw new UpstreamException(400, "invalid_request_error", $"Invalid 'n': expected a value from 1 to {MaxImages}, but got {count} instead.", "n",
                count < 1 ? "integer_below_min_value" : "integer_above_max_value");
        }
        if (request.Stream == true)
        {
            throw Unsupported("stream", "stream: true is not supported by Gemini image models; ask without stream.");
        }
        if (request.PartialImages is > 0)
        {
            throw Unsupported("partial_images", "partial_images is not supported by Gemini image models.");
        }
        if (request.Quality is { } quality && quality != "auto")
        {
            throw Unsupported("quality", $"quality '{quality}' is not supported by Gemini image models; leave it out or use 'auto'.");
        }
        if (request.Background is { } background && background is not ("auto" or "opaque"))
        {
            throw Unsupported("background", $"background '{background}' is not supported by Gemini image models, which make opaque images.");
        }
        if (request.OutputFormat is { } format && format != "png")
        {
            throw Unsupported("output_format", $"output_format '{format}' is not supported by Gemini image models, which answer PNG; use 'png'.");
        }
        if (request.OutputCompression is not null)
        {
            throw Unsupported("output_compression", "output_compression is not supported by Gemini image models, which answer PNG.");
        }
        if (request.ResponseFormat is { } responseFormat && responseFormat != "b64_json")
        {
            throw Unsupported("response_format", $"response_format '{responseFormat}' is not supported by Gemini image models; use 'b64_json' (the default).");
        }
        if (request.Moderation is { } moderation && moderation != "auto")
        {
            throw Unsupported("moderation", $"moderation '{moderation}' is not supported by Gemini image models; leave it out or use 'auto'.");
        }
        if (request.Style is not null)
        {
            throw Unsupported("style", "style is not supported by Gemini image models.");
        }
        if (request.AdditionalProperties is { Count: > 0 } extra)
        {
            var name = extra.Keys.First();
            throw Unsupported(name, $"'{name}' is not supported by Gemini image models.");
        }
        var config = new G.GenerationConfig { ResponseModalities = ["IMAGE"] };
        if (AspectRatioOf(request.Size) is { } aspectRatio)
        {
            config.ImageConfig = new G.ImageConfig { AspectRatio = aspectRatio };
        }
        var body = new G.GenerateContentRequest
        {
            Contents = [new G.Content { Role = "user", Parts = [new G.Part { Text = request.Prompt }] }],
            GenerationConfig = config,
        };
        return (request.Model, (int)count, body);
    }

    /// <summary>The documented aspect ratio nearest <c>WIDTHxHEIGHT</c> (compared on a log scale); none for <c>auto</c> or no size.</summary>
    internal static string? AspectRatioOf(string? size)
    {
        if (size is null or "auto")
        {
            return null;
        }
        var x = size.IndexOf('x', StringComparison.Ordinal);
        if (x <= 0 || !int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height) || width < 1 || height < 1)
        {
            throw new UpstreamException(400, "invalid_request_error",
                $"Invalid value: '{size}'. Supported values are WIDTHxHEIGHT (e.g. '1024x1024', '1536x1024', '1024x1536') or 'auto'; Gemini image models make the nearest aspect ratio.",
                "size", "invalid_value");
        }
        var wanted = Math.Log((double)width / height);
        return AspectRatios.MinBy(r => Math.Abs(Math.Log(r.Ratio) - wanted)).Name;
    }

    /// <summary>The answer's image, or the reason there is none: Google's block as OpenAI's moderation_blocked, else a 422.</summary>
    private (string Data, string MimeType) ImageOf(G.GenerateContentResponse answer)
    {
        if (answer.PromptFeedback?.BlockReason is { Length: > 0 } blockReason && blockReason != "BLOCK_REASON_UNSPECIFIED")
        {
            throw Blocked($"the prompt was blocked (blockReason {blockReason})");
        }
        var candidate = answer.Candidates?.FirstOrDefault();
        foreach (var part in candidate?.Content?.Parts ?? [])
        {
            if (part?.InlineData is { Data.Length: > 0 } blob && part.Thought != true && blob.MimeType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true)
            {
                return (blob.Data, blob.MimeType);
            }
        }
        var finish = candidate?.FinishReason;
        var said = string.Join(" ", (candidate?.Content?.Parts ?? []).Where(static p => p?.Thought != true && !string.IsNullOrEmpty(p?.Text)).Select(static p => p!.Text));
        var detail = (candidate?.FinishMessage is { Length: > 0 } message ? " " + message : string.Empty)
            + (said.Length > 0 ? " The model said: " + Truncate(said) : string.Empty);
        if (finish is not null && SafetyReasons.Contains(finish))
        {
            throw Blocked($"the image was blocked (finishReason {finish}).{detail}");
        }
        throw new UpstreamException(422, "invalid_request_error",
            $"Gemini answered no image (finishReason {finish ?? "none"}).{detail}", "prompt", "image_generation_failed");
    }

    private static UpstreamException Blocked(string why) =>
        new(400, "image_generation_user_error", $"Your request was rejected by Gemini's safety system: {why}", null, "moderation_blocked");

    private string FormatOf(string mimeType) => mimeType.ToLowerInvariant() switch
    {
        "image/png" => "png",
        "image/jpeg" => "jpeg",
        "image/webp" => "webp",
        _ => throw new UpstreamException(502, "upstream_error",
            $"Upstream of platform '{Name}' answered an image of type '{mimeType}', which the Images API cannot describe.", code: "invalid_upstream_response"),
    };

    /// <summary>Adds one call's usageMetadata: prompt tokens as input (split by modality), candidate and thought tokens as output.</summary>
    private static void Add(ImageGenUsage usage, G.UsageMetadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }
        var input = metadata.PromptTokenCount ?? 0;
        var output = (metadata.CandidatesTokenCount ?? 0) + (metadata.ThoughtsTokenCount ?? 0);
        usage.InputTokens += input;
        usage.OutputTokens += output;
        usage.TotalTokens += metadata.TotalTokenCount ?? input + output;
        var imageIn = Modality(metadata.PromptTokensDetails, "IMAGE");
        usage.InputTokensDetails.ImageTokens += imageIn;
        usage.InputTokensDetails.TextTokens += input - imageIn;
        if (metadata.CandidatesTokensDetails is { Count: > 0 } details)
        {
            usage.OutputTokensDetails ??= new ImageGenOutputTokensDetails();
            var imageOut = Modality(details, "IMAGE");
            usage.OutputTokensDetails.ImageTokens += imageOut;
            usage.OutputTokensDetails.TextTokens += output - imageOut;
        }
    }

    private static long Modality(List<G.ModalityTokenCount>? details, string modality) =>
        details?.Where(d => d?.Modality == modality).Sum(static d => d.TokenCount ?? 0) ?? 0;

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static UpstreamException Unsupported(string param, string message) =>
        new(400, "invalid_request_error", message, param, "unsupported_parameter");
}
