using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;

namespace Manifold.Plugins.Gemini;

/// <summary>An image for Veo's <c>instances[0].image</c>: its bytes (sent base64) and their type.</summary>
internal sealed record VeoImage(byte[] Bytes, string MimeType);

/// <summary>
/// OpenAI's <c>input_reference</c> as Veo's first frame: a file part (the host's temporary file, read whole, since Veo takes
/// the image inline in the JSON body), <c>{image_url}</c> as a <c>data:</c> URL, or an http(s) URL fetched through the host's
/// guarded client (<see cref="PlatformServices.ClientUrls"/>). Veo takes PNG, JPEG and WebP; the type is
/// read from the bytes, so a part declared <c>application/octet-stream</c> still works and a mislabelled one is sent as
/// what it is.
/// </summary>
internal static class VeoReference
{
    public const string Field = "input_reference";

    private static readonly string[] Types = ["image/png", "image/jpeg", "image/webp"];

    /// <summary>The reference image of a request, or null when it has none.</summary>
    /// <summary>The largest image fetched from a client's URL: Veo takes the image inline, and a larger one is no frame.</summary>
    public const long MaxFetchedBytes = 20 * 1024 * 1024;

    public static async Task<VeoImage?> ReadAsync(ImageReference? reference, FileParts files, HttpClient? clientUrls, CancellationToken cancellationToken)
    {
        var parts = files.Named(Field);
        var hasObject = reference is not null && (reference.ImageUrl is not null || reference.FileId is not null || reference.AdditionalProperties is { Count: > 0 });
        if (parts.Count > 1 || (parts.Count == 1 && hasObject))
        {
            throw Invalid("Send one input_reference: a single file part, or image_url.");
        }
        if (parts.Count == 1)
        {
            return await ReadFileAsync(parts[0], cancellationToken).ConfigureAwait(false);
        }
        if (!hasObject)
        {
            return null;
        }
        return reference!.ImageUrl is { } url && (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            && clientUrls is not null
            ? await FetchAsync(url, clientUrls, cancellationToken).ConfigureAwait(false)
            : FromObject(reference);
    }

    /// <summary>
    /// A client's image URL, fetched through the host's guarded client (never one that can reach inside the network),
    /// bounded in size; what it answers must be an image Veo takes.
    /// </summary>
    private static async Task<VeoImage> FetchAsync(string url, HttpClient clientUrls, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw Invalid("input_reference.image_url is not a valid URL.", "image_url");
        }
        try
        {
            using var response = await clientUrls.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Invalid($"input_reference.image_url could not be fetched: its server answered {(int)response.StatusCode}.", "image_url");
            }
            if (response.Content.Headers.ContentLength > MaxFetchedBytes)
            {
                throw Invalid($"input_reference.image_url is larger than {MaxFetchedBytes / (1024 * 1024)} MiB.", "image_url");
            }
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > MaxFetchedBytes)
                    {
                        throw Invalid($"input_reference.image_url is larger than {MaxFetchedBytes / (1024 * 1024)} MiB.", "image_url");
                    }
                    buffer.Write(chunk, 0, read);
                }
                return Image(buffer.ToArray(), response.Content.Headers.ContentType?.MediaType ?? "");
            }
        }
        catch (HttpRequestException ex) when (ex.InnerException is Manifold.Contracts.Net.BlockedAddressException blocked)
        {
            throw Invalid($"input_reference.image_url is not fetched: {blocked.Message}", "image_url");
        }
        catch (HttpRequestException ex)
        {
            throw Invalid($"input_reference.image_url could not be fetched: {ex.Message}", "image_url");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Invalid("input_reference.image_url took too long to fetch.", "image_url");
        }
    }

    private static async Task<VeoImage> ReadFileAsync(FilePart part, CancellationToken cancellationToken)
    {
        if (part.Length > Array.MaxLength)
        {
            throw Invalid("The input_reference file is too large for Veo, which takes the image inline.");
        }
        var bytes = new byte[part.Length];
        var stream = part.OpenRead();
        await using (stream.ConfigureAwait(false))
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        return Image(bytes, part.ContentType);
    }

    private static VeoImage FromObject(ImageReference reference)
    {
        if (reference.AdditionalProperties is { Count: > 0 } extra)
        {
            var name = extra.Keys.First();
            throw new UpstreamException(400, "invalid_request_error", $"Unrecognized request argument supplied: input_reference.{name}.", $"{Field}.{name}", "unknown_parameter");
        }
        if (reference.FileId is not null)
        {
            throw Invalid("input_reference.file_id names a file uploaded to OpenAI, which Veo cannot read; send the image as a file part or a data: URL.", "file_id");
        }
        var url = reference.ImageUrl!;
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return FromDataUrl(url);
        }
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // Only without the host's guarded client (a platform built by hand): a client's URL is never fetched unguarded.
            throw Invalid("This veo platform has no guarded client to fetch image URLs with; send the image as a file part or as a base64 data: URL.", "image_url");
        }
        throw Invalid("input_reference.image_url must be a base64 data: URL (data:image/png;base64,...).", "image_url");
    }

    /// <summary><c>data:[type][;params];base64,&lt;data&gt;</c>; only base64 data, as the SDKs encode images.</summary>
    private static VeoImage FromDataUrl(string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var meta = comma < 0 ? "" : url[5..comma];
        if (comma < 0 || !meta.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("input_reference.image_url must be a base64 data: URL (data:image/png;base64,...).", "image_url");
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(url[(comma + 1)..]);
        }
        catch (FormatException)
        {
            throw Invalid("input_reference.image_url holds data that is not valid base64.", "image_url");
        }
        var semicolon = meta.IndexOf(';', StringComparison.Ordinal);
        return Image(bytes, semicolon < 0 ? meta : meta[..semicolon]);
    }

    private static VeoImage Image(byte[] bytes, string declared) => Sniff(bytes) is { } type
        ? new VeoImage(bytes, type)
        : throw Invalid($"input_reference must be a PNG, JPEG or WebP image, which is what Veo takes; this one{(declared.Length > 0 ? $" ({declared})" : "")} is none of them.");

    /// <summary>The image type its first bytes announce, among those Veo takes; null for anything else (a GIF included).</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes) => ImageData.Sniff(bytes) is { } type && Types.Contains(type) ? type : null;

    private static UpstreamException Invalid(string message, string? member = null) =>
        new(400, "invalid_request_error", message, member is null ? Field : $"{Field}.{member}", "invalid_value");
}
