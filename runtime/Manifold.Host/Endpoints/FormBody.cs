using System.Text;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Manifold.Host.Endpoints;

/// <summary>
/// Reads a <c>multipart/form-data</c> body as it arrives: text parts into a JSON object (the bracket names the SDKs send,
/// <c>input_reference[image_url]</c> and <c>image[]</c>, become nested objects and arrays), file parts to temporary files,
/// never whole into memory. The files belong to the request and are deleted when it ends.
/// </summary>
internal static class FormBody
{
    // A text part is a prompt or a small value; a megabyte is far beyond any the APIs accept.
    private const int MaxFieldBytes = 1024 * 1024;
    private const int MaxParts = 256;

    public static bool IsForm(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>The text fields and files of the form; throws <see cref="FormException"/> (a 400 or 413) when it is not a valid one.</summary>
    public static async Task<(JsonObject Fields, FileParts Files)> ReadAsync(HttpContext http, FormDescriptor form, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadPartsAsync(http, form, cancellationToken);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // MultipartReader reports a malformed body (no closing boundary, a part cut short) as an IOException.
            throw new FormException(StatusCodes.Status400BadRequest, $"The multipart/form-data body is malformed: {ex.Message}");
        }
    }

    private static async Task<(JsonObject Fields, FileParts Files)> ReadPartsAsync(HttpContext http, FormDescriptor form, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(http.Request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new FormException(StatusCodes.Status400BadRequest, "The multipart/form-data body has no boundary in its Content-Type.");
        }
        var fields = new JsonObject();
        var files = new List<FilePart>();
        var folder = Path.Combine(Path.GetTempPath(), "manifold-uploads", Guid.NewGuid().ToString("N"));
        http.Response.RegisterForDispose(new TemporaryFolder(folder));

        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        var parts = 0;
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
        {
            if (++parts > MaxParts)
            {
                throw new FormException(StatusCodes.Status400BadRequest, $"The form has more than {MaxParts} parts.");
            }
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !(disposition.IsFormDisposition() || disposition.IsFileDisposition()))
            {
                throw new FormException(StatusCodes.Status400BadRequest, "Every part of a multipart/form-data body needs 'Content-Disposition: form-data; name=...'.");
            }
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
            if (disposition.IsFileDisposition())
            {
                var field = name.EndsWith("[]", StringComparison.Ordinal) ? name[..^2] : name;
                if (!form.Files.Contains(field))
                {
                    throw new FormException(StatusCodes.Status400BadRequest,
                        form.Files.Count == 0 ? $"'{name}' is a file, but this endpoint takes no files." : $"'{name}' is a file, but this endpoint takes files only as {string.Join(", ", form.Files.Select(static f => $"'{f}'"))}.", name);
                }
                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                long length;
                await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
                {
                    await section.Body.CopyToAsync(file, cancellationToken);
                    length = file.Length;
                }
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? field;
                files.Add(new FilePart(field, fileName, section.ContentType ?? "application/octet-stream", length, path));
            }
            else
            {
                Set(fields, name, await ReadTextAsync(section, name, cancellationToken));
            }
        }
        return (fields, new FileParts(files));
    }

    private static async Task<string> ReadTextAsync(MultipartSection section, string name, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await section.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFieldBytes)
            {
                throw new FormException(StatusCodes.Status413PayloadTooLarge, $"The form field '{name}' is larger than {MaxFieldBytes / 1024} KiB.", name);
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new FormException(StatusCodes.Status400BadRequest, $"The form field '{name}' is not valid UTF-8.", name);
        }
    }

    /// <summary>Puts a text part at its bracket path: <c>a[b]</c> is <c>{"a":{"b":…}}</c>, <c>a[]</c> appends to <c>a</c>.</summary>
    internal static void Set(JsonObject fields, string name, string value)
    {
        var open = name.IndexOf('[');
        if (open <= 0)
        {
            fields[name] = value;
            return;
        }
        var head = name[..open];
        var close = name.IndexOf(']', open);
        if (close < 0)
        {
            fields[name] = value;
            return;
        }
        var key = name[(open + 1)..close];
        var rest = name[(close + 1)..];
        if (key.Length == 0)
        {
            if (fields[head] is not JsonArray array)
            {
                fields[head] = array = [];
            }
            array.Add(value);
            return;
        }
        if (fields[head] is not JsonObject child)
        {
            fields[head] = child = new JsonObject();
        }
        Set(child, key + rest, value);
    }

    /// <summary>Deletes a request's uploaded files when the request is over.</summary>
    private sealed class TemporaryFolder(string path) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            catch (IOException)
            {
                // A file still open by a late reader; the OS temp cleaner gets it.
            }
        }
    }
}

/// <summary>A form Manifold cannot read: the caller's 400 (or 413 when a part is too large).</summary>
internal sealed class FormException(int status, string message, string? param = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? Param { get; } = param;
}
