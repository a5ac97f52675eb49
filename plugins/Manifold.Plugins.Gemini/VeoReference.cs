using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;

namespace Manifold.Plugins.Gemini;

/// <summary>An image for Veo's <c>instances[0].image</c>: its bytes (sent base64) and their type.</summary>
internal sealed record VeoImage(byte[] Bytes, string MimeType);

/// <summary>
/// OpenAI's <c>input_reference</c> as Veo's first frame: a file part (the host's temporary file, read whole, since Veo takes
/// the image inline in the JSON body) or <c>{image_url}</c> as a <c>data:</c> URL. Veo takes PNG, JPEG and WebP; the type is
/// read from the bytes, so a part declared <c>application/octet-stream</c> still works and a mislabelled one is sent as
/// what it is.
/// </summary>
internal static class VeoReference
{
    public const string Field = "input_reference";

    private static readonly string[] Types = ["image/png", "image/jpeg", "image/webp"];

    /// <summary>The reference image of a request, or null when it has none.</summary>
    public static async Task<VeoImage?> ReadAsync(ImageReference? reference, FileParts files, CancellationToken cancellationToken)
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
        return hasObject ? FromObject(reference!) : null;
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
            // Fetching a client's URL from inside the gateway needs a guard against server-side request forgery (no loopback,
            // private or metadata addresses, bounded size and time) that Manifold does not have yet.
            throw Invalid("The veo platform does not fetch image URLs yet (fetching a client's URL needs Manifold's SSRF guard, which is not built); "
                + "send the image as a file part or as a base64 data: URL.", "image_url");
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
