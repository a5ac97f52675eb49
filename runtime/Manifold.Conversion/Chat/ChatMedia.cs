using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Chat;

/// <summary>Media types for the formats Chat Completions names by a short word (audio) or not at all (file data).</summary>
internal static class ChatMedia
{
    public static string AudioMediaType(string format) => format switch
    {
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        _ => "audio/" + format,
    };

    /// <summary>The <c>input_audio.format</c> for a media type; null when Chat Completions has none (it takes wav and mp3).</summary>
    public static string? AudioFormat(string? mediaType) => mediaType?.ToLowerInvariant() switch
    {
        "audio/wav" or "audio/x-wav" or "audio/wave" => "wav",
        "audio/mpeg" or "audio/mp3" => "mp3",
        _ => null,
    };

    /// <summary>
    /// The media of a <c>file</c> part's <c>file_data</c>. OpenAI documents a <c>data:</c> URL; bare base64 is
    /// read as a PDF (the one document type the API takes), or by the file name's extension.
    /// </summary>
    public static HubMedia FromFileData(string fileData, string? filename)
    {
        if (fileData.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return HubMedia.FromUrl(fileData);
        }
        return new HubMedia(MediaTypeOf(filename) ?? "application/pdf", Data: fileData);
    }

    /// <summary>
    /// A file name for <c>file.filename</c>, which OpenAI wants with <c>file_data</c>: the caller's, or one made
    /// from the media type, which only labels the file for the model.
    /// </summary>
    public static string FilenameFor(HubMedia media) => media.Filename ?? media.MediaType?.ToLowerInvariant() switch
    {
        "application/pdf" => "document.pdf",
        "text/plain" => "document.txt",
        "text/markdown" => "document.md",
        "text/csv" => "document.csv",
        "text/html" => "document.html",
        _ => "document",
    };

    private static string? MediaTypeOf(string? filename) => Path.GetExtension(filename)?.ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf",
        ".txt" => "text/plain",
        ".md" => "text/markdown",
        ".csv" => "text/csv",
        ".html" or ".htm" => "text/html",
        _ => null,
    };
}
