using System.Text;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>
/// Image and document sources to and from <see cref="HubMedia"/>. Anthropic takes images as base64 (jpeg, png,
/// gif, webp), a URL or a Files API id; documents as base64 PDF, a PDF URL, plain text, or a file id. Plain-text
/// documents become base64 <c>text/plain</c> media in the hub, so every other protocol can carry them as files.
/// </summary>
internal static class MessagesMedia
{
    private const string Pdf = "application/pdf";
    private const string PlainText = "text/plain";

    public static HubMedia DecodeImage(ContentSource source, string path) => source.Type switch
    {
        "base64" => new HubMedia(source.MediaType, Data: source.Data ?? ""),
        "url" => HubMedia.FromUrl(source.Url ?? ""),
        "file" => new HubMedia(null, FileId: source.FileId ?? ""),
        _ => throw ConversionException.Unsupported(path + ".type", MessagesCodec.Elsewhere, "images are base64, URL or file sources."),
    };

    public static HubMedia DecodeDocument(ContentBlock block, ContentSource source, string path)
    {
        var media = source.Type switch
        {
            "base64" => new HubMedia(source.MediaType ?? Pdf, Data: source.Data ?? ""),
            // URL documents are PDFs: Anthropic fetches them as such.
            "url" => new HubMedia(Pdf, Url: source.Url ?? ""),
            "text" => new HubMedia(source.MediaType ?? PlainText, Data: Convert.ToBase64String(Encoding.UTF8.GetBytes(source.Data ?? ""))),
            "file" => new HubMedia(null, FileId: source.FileId ?? ""),
            // Content documents are blocks chunked for citations, which exist only on Anthropic.
            _ => throw ConversionException.Unsupported(path + ".type", MessagesCodec.Elsewhere, "documents are base64 PDF, PDF URL, plain text or file sources."),
        };
        return media with { Filename = block.Title };
    }

    public static ContentBlock EncodeImage(HubMedia media, string path)
    {
        ContentSource source;
        if (media.FileId is { } fileId)
        {
            source = new ContentSource { Type = "file", FileId = fileId };
        }
        else if (media.Data is { } data)
        {
            source = new ContentSource
            {
                Type = "base64",
                MediaType = media.MediaType ?? throw ConversionException.Unsupported(path, MessagesCodec.DisplayName, "a base64 image needs its media type."),
                Data = data,
            };
        }
        else
        {
            source = new ContentSource { Type = "url", Url = media.Url ?? "" };
        }
        // detail (OpenAI's resolution hint) has no Anthropic equivalent; Claude sizes images itself, so the answer is unaffected.
        return new ContentBlock { Type = "image", Source = source };
    }

    public static ContentBlock EncodeDocument(HubMedia media, string path)
    {
        ContentSource source;
        if (media.FileId is { } fileId)
        {
            source = new ContentSource { Type = "file", FileId = fileId };
        }
        else if (media.Data is { } data)
        {
            // OpenAI's file inputs are PDFs, and a caller that named no media type sent one.
            var type = media.MediaType ?? Pdf;
            if (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            {
                source = new ContentSource { Type = "text", MediaType = PlainText, Data = DecodeText(data, path) };
            }
            else if (string.Equals(type, Pdf, StringComparison.OrdinalIgnoreCase))
            {
                source = new ContentSource { Type = "base64", MediaType = Pdf, Data = data };
            }
            else
            {
                throw ConversionException.Unsupported(path, MessagesCodec.DisplayName, $"documents are PDF or plain text, not {type}.");
            }
        }
        else
        {
            if (media.MediaType is { } type && !string.Equals(type, Pdf, StringComparison.OrdinalIgnoreCase))
            {
                throw ConversionException.Unsupported(path, MessagesCodec.DisplayName, $"documents by URL are PDFs, not {type}.");
            }
            source = new ContentSource { Type = "url", Url = media.Url ?? "" };
        }
        return new ContentBlock { Type = "document", Source = source, Title = media.Filename };
    }

    private static string DecodeText(string base64, string path)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new ConversionException(path, $"'{path}' is not valid base64.");
        }
    }
}
