using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// Media parts: <c>inlineData</c> (base64) and <c>fileData</c> (a URI) on one side, <see cref="ImagePart"/>,
/// <see cref="AudioPart"/> and <see cref="FilePart"/> on the other, told apart by MIME type.
/// <list type="bullet">
/// <item>A Files API URI (<c>https://generativelanguage.googleapis.com/.../files/...</c>) only means something to
/// Gemini, so it becomes a <see cref="HubMedia.FileId"/>; any other URI is a URL other platforms can fetch.</item>
/// <item>An http(s) URL from another protocol becomes <c>fileData</c>, which Gemini fetches itself. Its
/// <c>mimeType</c> is the caller's, else guessed from the URL's extension, else left out (it is optional).</item>
/// <item>Base64 data needs a MIME type on Gemini: without one it is a 400 naming the field.</item>
/// </list>
/// </summary>
internal static class GeminiMedia
{
    private const string FilesApiHost = "https://generativelanguage.googleapis.com/";

    private static readonly Dictionary<string, string> TypesByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".webp"] = "image/webp",
        [".gif"] = "image/gif",
        [".heic"] = "image/heic",
        [".heif"] = "image/heif",
        [".pdf"] = "application/pdf",
        [".txt"] = "text/plain",
        [".md"] = "text/markdown",
        [".html"] = "text/html",
        [".csv"] = "text/csv",
        [".mp3"] = "audio/mp3",
        [".wav"] = "audio/wav",
        [".ogg"] = "audio/ogg",
        [".flac"] = "audio/flac",
        [".aac"] = "audio/aac",
        [".mp4"] = "video/mp4",
        [".webm"] = "video/webm",
        [".mov"] = "video/mov",
    };

    public static HubPart Decode(Blob blob) => Wrap(blob.MimeType, new HubMedia(blob.MimeType, Data: blob.Data));

    public static HubPart Decode(FileData file)
    {
        var type = file.MimeType ?? GuessType(file.FileUri);
        var media = IsGeminiFile(file.FileUri) ? new HubMedia(type, FileId: file.FileUri) : new HubMedia(type, Url: file.FileUri);
        return Wrap(type, media);
    }

    /// <summary>A hub media part as a Gemini part (its data fields only). <paramref name="field"/> names it in errors.</summary>
    public static Part Encode(HubMedia media, string field)
    {
        var part = new Part();
        if (media.Data is { } data)
        {
            part.InlineData = new Blob
            {
                MimeType = media.MediaType ?? throw GeminiFields.Inexpressible(field, "Gemini needs the media type of inline data; send it as a data: URL with a type."),
                Data = data,
            };
        }
        else if (media.Url is { } url)
        {
            part.FileData = new FileData { FileUri = url, MimeType = media.MediaType ?? GuessType(url) };
        }
        else if (media.FileId is { } fileId && IsGeminiFile(fileId))
        {
            part.FileData = new FileData { FileUri = fileId, MimeType = media.MediaType };
        }
        else
        {
            throw GeminiFields.Inexpressible(field, $"the file id '{media.FileId}' belongs to another platform; send the file's content instead.");
        }
        // Detail (OpenAI's low/high image cost hint) and Filename (a label) change nothing Gemini would generate.
        return part;
    }

    private static HubPart Wrap(string? mimeType, HubMedia media) => mimeType switch
    {
        not null when mimeType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => new ImagePart(media),
        not null when mimeType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) => new AudioPart(media),
        _ => new FilePart(media),
    };

    /// <summary>A Files API resource: <c>files/abc</c> or its full URI.</summary>
    private static bool IsGeminiFile(string uri) =>
        uri.StartsWith(FilesApiHost, StringComparison.OrdinalIgnoreCase) || uri.StartsWith("files/", StringComparison.Ordinal);

    private static string? GuessType(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            return null;
        }
        var extension = Path.GetExtension(parsed.AbsolutePath);
        return extension.Length > 0 && TypesByExtension.TryGetValue(extension, out var type) ? type : null;
    }
}
