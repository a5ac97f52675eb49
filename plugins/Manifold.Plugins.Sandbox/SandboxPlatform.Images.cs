using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Plugins.Sandbox.Media;

namespace Manifold.Plugins.Sandbox;

/// <summary>
/// The sandbox as an Images API upstream, answering at once as the GPT image models do: <c>n</c> real images of the
/// asked size, rendered here from the prompt (each index its own picture), as raw base64 in <c>b64_json</c>, with
/// plausible token usage. An edit's pictures also depend on its input images' bytes (SHA-256), so the same edit always
/// answers the same pictures. A stream sends <c>partial_images</c> lower-detail renders of the first image (the same
/// picture rendered at 1/16, 1/8 or 1/4 of the size and scaled back up, blocky), then one completed event per image.
/// </summary>
internal sealed partial class SandboxPlatform : IImagesAdapter
{
    private const int DefaultDimension = SandboxMedia.DefaultImageSize;

    // Output tokens of a 1024x1024 image per quality, from OpenAI's table for gpt-image-1; other sizes scale by area.
    private const long LowTokens = 272;
    private const long MediumTokens = 1056;
    private const long HighTokens = 4160;

    private static readonly string[] StandardSizes = ["1024x1024", "1024x1536", "1536x1024"];

    public Task<ImagesResponse> CreateImageAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var job = ImageJob.From(request.Prompt, request.N, request.Size, request.Quality, request.OutputFormat, request.OutputCompression,
            request.Background, request.ResponseFormat, request.PartialImages, inputFingerprint: null, inputImages: 0);
        return Task.FromResult(Respond(job, cancellationToken));
    }

    public IAsyncEnumerable<ImageGenStreamEvent> CreateImageStreamAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var job = ImageJob.From(request.Prompt, request.N, request.Size, request.Quality, request.OutputFormat, request.OutputCompression,
            request.Background, request.ResponseFormat, request.PartialImages, inputFingerprint: null, inputImages: 0);
        return StreamAsync(job, request.Size, "image_generation", static (type, e) => new ImageGenStreamEvent
        {
            Type = type, B64Json = e.B64Json, CreatedAt = e.CreatedAt, Size = e.Size, Quality = e.Quality, Background = e.Background,
            OutputFormat = e.OutputFormat, PartialImageIndex = e.PartialImageIndex, Usage = e.Usage,
        }, cancellationToken);
    }

    public async Task<ImagesResponse> CreateImageEditAsync(CreateImageEditRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        var job = await EditJobAsync(request, files, cancellationToken).ConfigureAwait(false);
        return Respond(job, cancellationToken);
    }

    public async IAsyncEnumerable<ImageEditStreamEvent> CreateImageEditStreamAsync(
        CreateImageEditRequest request, FileParts files, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var job = await EditJobAsync(request, files, cancellationToken).ConfigureAwait(false);
        var events = StreamAsync(job, request.Size, "image_edit", static (type, e) => new ImageEditStreamEvent
        {
            Type = type, B64Json = e.B64Json, CreatedAt = e.CreatedAt, Size = e.Size, Quality = e.Quality, Background = e.Background,
            OutputFormat = e.OutputFormat, PartialImageIndex = e.PartialImageIndex, Usage = e.Usage,
        }, cancellationToken);
        await foreach (var streamEvent in events.ConfigureAwait(false))
        {
            yield return streamEvent;
        }
    }

    /// <summary>The edit's inputs: image files (image / image[]) or, in JSON, image references; their fingerprint seeds the output.</summary>
    private static async Task<ImageJob> EditJobAsync(CreateImageEditRequest request, FileParts files, CancellationToken cancellationToken)
    {
        var images = files.Named("image");
        string fingerprint;
        int count;
        if (images.Count > 0)
        {
            count = images.Count;
            if (count > 16)
            {
                throw new UpstreamException(400, "invalid_request_error", $"Invalid 'image': too many images. Expected at most 16, but got {count}.", "image", "array_above_max_length");
            }
            // The first image decides the picture (and the mask, when there is one, where it goes).
            await using var first = images[0].OpenRead();
            var hash = await SHA256.HashDataAsync(first, cancellationToken).ConfigureAwait(false);
            fingerprint = Convert.ToHexStringLower(hash);
            if (files.First("mask") is { } mask)
            {
                await using var maskStream = mask.OpenRead();
                fingerprint += ":" + Convert.ToHexStringLower(await SHA256.HashDataAsync(maskStream, cancellationToken).ConfigureAwait(false));
            }
        }
        else if (request.Images is { Count: > 0 } references)
        {
            count = references.Count;
            if (count > 16)
            {
                throw new UpstreamException(400, "invalid_request_error", $"Invalid 'images': too many images. Expected at most 16, but got {count}.", "images", "array_above_max_length");
            }
            var reference = references[0].ImageUrl ?? references[0].FileId
                ?? throw new UpstreamException(400, "invalid_request_error", "Invalid 'images[0]': provide exactly one of 'image_url' or 'file_id'.", "images[0]", "invalid_value");
            fingerprint = Fingerprint(reference) + (request.Mask is { } mask ? ":" + Fingerprint(mask.ImageUrl ?? mask.FileId) : string.Empty);
        }
        else
        {
            throw new UpstreamException(400, "invalid_request_error", "Missing required parameter: 'image'.", "image", "missing_required_parameter");
        }
        return ImageJob.From(request.Prompt, request.N, request.Size, request.Quality, request.OutputFormat, request.OutputCompression,
            request.Background, request.ResponseFormat, request.PartialImages, fingerprint, count);
    }

    private ImagesResponse Respond(ImageJob job, CancellationToken cancellationToken)
    {
        var data = new List<Image>(job.Count);
        for (var i = 0; i < job.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            data.Add(new Image { B64Json = Convert.ToBase64String(job.Render(i)) });
        }
        var usage = job.Usage(job.Count, includeInput: true);
        return new ImagesResponse
        {
            Created = time.GetUtcNow().ToUnixTimeSeconds(),
            Data = data,
            Background = "opaque",
            OutputFormat = job.OutputFormat,
            Size = job.StandardSize,
            Quality = job.Quality,
            Usage = new ImageGenUsage
            {
                InputTokens = usage.InputTokens,
                OutputTokens = usage.OutputTokens,
                TotalTokens = usage.TotalTokens,
                InputTokensDetails = usage.InputTokensDetails,
            },
        };
    }

    /// <summary>
    /// The partial images (lower-detail renders of the first image), then each image's completed event; the first carries
    /// the input tokens, every one its own output tokens, as the API reports per image.
    /// </summary>
    private async IAsyncEnumerable<T> StreamAsync<T>(ImageJob job, string? requestedSize, string prefix, Func<string, StreamImage, T> make,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        // Partial events describe the request: its size as asked when it is one the API names, else auto.
        var askedSize = requestedSize is { } asked && StandardSizes.Contains(asked) ? asked : "auto";
        var partialQuality = job.RequestedQuality;
        for (var i = 0; i < job.PartialImages; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var divisor = 1 << (job.PartialImages - i + 1);
            var partial = make(prefix + ".partial_image", new StreamImage
            {
                B64Json = Convert.ToBase64String(job.Render(0, divisor)),
                CreatedAt = created,
                Size = askedSize,
                Quality = partialQuality,
                Background = job.RequestedBackground,
                OutputFormat = job.OutputFormat,
                PartialImageIndex = i,
            });
            yield return partial;
            await Task.Yield();
        }
        for (var i = 0; i < job.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return make(prefix + ".completed", new StreamImage
            {
                B64Json = Convert.ToBase64String(job.Render(i)),
                CreatedAt = created,
                Size = job.StandardSize ?? "auto",
                Quality = job.Quality,
                Background = "opaque",
                OutputFormat = job.OutputFormat,
                Usage = job.Usage(1, includeInput: i == 0),
            });
            await Task.Yield();
        }
    }

    /// <summary>One streamed image, before it becomes a generation's or an edit's event.</summary>
    private readonly record struct StreamImage
    {
        public required string B64Json { get; init; }
        public required long CreatedAt { get; init; }
        public required string Size { get; init; }
        public required string Quality { get; init; }
        public required string Background { get; init; }
        public required string OutputFormat { get; init; }
        public long? PartialImageIndex { get; init; }
        public ImagesUsage? Usage { get; init; }
    }

    /// <summary>What to render, checked as the API checks it; every refusal is a 400 naming its parameter.</summary>
    private sealed record ImageJob(
        string Prompt, int Count, int Width, int Height, string Quality, string RequestedQuality, string OutputFormat, int Compression,
        string RequestedBackground, int PartialImages, string? InputFingerprint, int InputImages)
    {
        public string? StandardSize => Size is var size && StandardSizes.Contains(size) ? size : null;

        private string Size => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");

        public static ImageJob From(
            string prompt, long? n, string? size, string? quality, string? outputFormat, long? compression, string? background,
            string? responseFormat, long? partialImages, string? inputFingerprint, int inputImages)
        {
            if (string.IsNullOrEmpty(prompt))
            {
                throw Invalid("prompt", "Invalid 'prompt': string too short. Expected a string with minimum length 1, but got an empty string instead.", "string_below_min_length");
            }
            var count = n ?? 1;
            if (count is < 1 or > 10)
            {
                throw Invalid("n", $"Invalid 'n': expected a value from 1 to 10, but got {count} instead.", count < 1 ? "integer_below_min_value" : "integer_above_max_value");
            }
            if (responseFormat == "url")
            {
                throw Invalid("response_format", "response_format 'url' is not served yet by the sandbox platform; use b64_json (the default).", "unsupported_value");
            }
            if (responseFormat is not (null or "b64_json"))
            {
                throw InvalidValue("response_format", responseFormat, ["b64_json", "url"]);
            }
            var (width, height) = ParseSize(size);
            var requestedQuality = quality ?? "auto";
            if (requestedQuality is not ("low" or "medium" or "high" or "auto"))
            {
                throw InvalidValue("quality", requestedQuality, ["low", "medium", "high", "auto"]);
            }
            var format = outputFormat ?? "png";
            if (format is not ("png" or "jpeg" or "webp"))
            {
                throw InvalidValue("output_format", format, ["png", "jpeg", "webp"]);
            }
            var level = compression ?? 100;
            if (level is < 0 or > 100)
            {
                throw Invalid("output_compression", $"Invalid 'output_compression': expected a value from 0 to 100, but got {level} instead.", "invalid_value");
            }
            var requestedBackground = background ?? "auto";
            if (requestedBackground == "transparent")
            {
                // The sandbox renders opaque pictures only; saying so beats answering an opaque one silently.
                throw Invalid("background", "background 'transparent' is not supported by the sandbox platform; use 'opaque' or 'auto'.", "unsupported_value");
            }
            if (requestedBackground is not ("opaque" or "auto"))
            {
                throw InvalidValue("background", requestedBackground, ["transparent", "opaque", "auto"]);
            }
            var partials = partialImages ?? 0;
            if (partials is < 0 or > 3)
            {
                throw Invalid("partial_images", $"Invalid 'partial_images': expected a value from 0 to 3, but got {partials} instead.", "invalid_value");
            }
            return new ImageJob(prompt, (int)count, width, height, requestedQuality == "auto" ? "high" : requestedQuality, requestedQuality, format,
                (int)level, requestedBackground, (int)partials, inputFingerprint, inputImages);
        }

        /// <summary>
        /// Image <paramref name="index"/>, encoded as asked. Index 0 of a generation is the prompt's own artwork; every other
        /// index (and every edit) renders the prompt with a suffix naming the index (and the inputs' fingerprint). With a
        /// <paramref name="divisor"/>, the picture is rendered that many times smaller and scaled back up: a partial image.
        /// </summary>
        public byte[] Render(int index, int divisor = 1)
        {
            var seed = Prompt;
            if (InputFingerprint is not null)
            {
                seed += "\nedit:" + InputFingerprint;
            }
            if (index > 0 || InputFingerprint is not null)
            {
                seed += "\n#" + index.ToString(CultureInfo.InvariantCulture);
            }
            var artwork = new PromptArtwork(seed);
            var rgb = new byte[Width * Height * 3];
            if (divisor <= 1)
            {
                artwork.Render(rgb, Width * 3, Width, Height, new PixelRect(0, 0, Width, Height));
            }
            else
            {
                var smallWidth = Math.Max(1, Width / divisor);
                var smallHeight = Math.Max(1, Height / divisor);
                var small = new byte[smallWidth * smallHeight * 3];
                artwork.Render(small, smallWidth * 3, smallWidth, smallHeight, new PixelRect(0, 0, smallWidth, smallHeight));
                for (var y = 0; y < Height; y++)
                {
                    var sy = Math.Min(smallHeight - 1, y * smallHeight / Height);
                    for (var x = 0; x < Width; x++)
                    {
                        var sx = Math.Min(smallWidth - 1, x * smallWidth / Width);
                        small.AsSpan((sy * smallWidth + sx) * 3, 3).CopyTo(rgb.AsSpan((y * Width + x) * 3, 3));
                    }
                }
            }
            return OutputFormat switch
            {
                "jpeg" => JpegEncoder.Encode(rgb, Width, Height, Math.Max(1, Compression)),
                "webp" => WebpEncoder.Encode(rgb, Width, Height),
                _ => PngEncoder.Encode(rgb, Width, Height),
            };
        }

        /// <summary>
        /// Tokens as the API counts them, estimated: text tokens are the prompt's characters / 4 (at least 1); each input
        /// image counts <see cref="LowTokens"/> (a low-quality 1024x1024 image); each output image the gpt-image-1 table's
        /// tokens for its quality at 1024x1024, scaled by its area.
        /// </summary>
        public ImagesUsage Usage(int images, bool includeInput)
        {
            var text = includeInput ? Math.Max(1, (Prompt.Length + 3) / 4) : 0;
            var input = includeInput ? (long)InputImages * LowTokens : 0;
            var perImage = Quality switch { "low" => LowTokens, "medium" => MediumTokens, _ => HighTokens };
            var output = (long)Math.Round(perImage * ((double)Width * Height / (DefaultDimension * DefaultDimension))) * images;
            return new ImagesUsage
            {
                InputTokens = text + input,
                OutputTokens = output,
                TotalTokens = text + input + output,
                InputTokensDetails = new ImageGenInputUsageDetails { TextTokens = text, ImageTokens = input },
            };
        }

        private static (int Width, int Height) ParseSize(string? size)
        {
            if (size is null or "auto")
            {
                return (DefaultDimension, DefaultDimension);
            }
            var x = size.IndexOf('x', StringComparison.Ordinal);
            if (x > 0 && int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
                && int.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height)
                && width is >= 1 and <= SandboxMedia.MaxImageDimension && height is >= 1 and <= SandboxMedia.MaxImageDimension)
            {
                return (width, height);
            }
            throw Invalid("size", string.Create(CultureInfo.InvariantCulture,
                $"Invalid value: '{size}'. The sandbox makes WIDTHxHEIGHT images, each side 1 to {SandboxMedia.MaxImageDimension} pixels (e.g. '1024x1024', '1536x1024'), or 'auto'."), "invalid_value");
        }

        private static UpstreamException Invalid(string param, string message, string code) => new(400, "invalid_request_error", message, param, code);

        private static UpstreamException InvalidValue(string param, string value, string[] allowed) =>
            Invalid(param, $"Invalid value: '{value}'. Supported values are: {string.Join(", ", allowed.Select(static v => $"'{v}'"))}.", "invalid_value");
    }
}
