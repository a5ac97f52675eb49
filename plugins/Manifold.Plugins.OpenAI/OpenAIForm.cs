using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Manifold.Contracts;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// A <c>multipart/form-data</c> request body written the way OpenAI's official SDK writes it: text parts with only a
/// Content-Disposition (no Content-Type), numbers and booleans as their text, nested objects as <c>key[sub]</c>, arrays as
/// repeated <c>key[]</c>, file parts with the client's file name and content type, and names quoted as browsers and the SDK
/// quote them (UTF-8, with <c>"</c>, CR and LF percent-encoded; no RFC 2231 <c>filename*</c>, no MIME-encoded words). Files
/// are streamed from disk as the request is sent, never read whole into memory.
/// </summary>
internal sealed class OpenAIForm : IDisposable
{
    private readonly MultipartContent _content;

    public OpenAIForm()
    {
        var boundary = "----ManifoldFormBoundary" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        _content = new MultipartContent("form-data", boundary)
        {
            // Part headers carry names and file names as raw UTF-8, as the SDK (and every browser) sends them.
            HeaderEncodingSelector = static (_, _) => Encoding.UTF8,
        };
        // MultipartContent quotes the boundary; the SDK does not, and some servers only read the bare form.
        _content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data") { Parameters = { new NameValueHeaderValue("boundary", boundary) } };
    }

    /// <summary>The body; whoever sends it disposes it (and with it the open files).</summary>
    public HttpContent Content => _content;

    /// <summary>A text part.</summary>
    public void AddText(string name, string value)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
        part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{Escape(name)}\"");
        _content.Add(part);
    }

    /// <summary>A text part unless <paramref name="value"/> is null.</summary>
    public void AddTextIfSet(string name, string? value)
    {
        if (value is not null)
        {
            AddText(name, value);
        }
    }

    /// <summary>
    /// A JSON value as the SDK encodes one: strings as they are, numbers and booleans as their JSON text, objects as
    /// <c>name[key]</c> parts and arrays as repeated <c>name[]</c> parts, recursively. A null has no form encoding (the SDK
    /// refuses it) and is left out, as if unset.
    /// </summary>
    public void AddJson(string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                AddText(name, value.GetString()!);
                break;
            case JsonValueKind.Number:
                AddText(name, value.GetRawText());
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                AddText(name, value.GetBoolean() ? "true" : "false");
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    AddJson(name + "[" + property.Name + "]", property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    AddJson(name + "[]", item);
                }
                break;
        }
    }

    /// <summary>Fields a DTO does not model (its AdditionalProperties), each under its own name, prefixed as <c>prefix[name]</c> when nested.</summary>
    public void AddAdditional(IReadOnlyDictionary<string, JsonElement>? properties, string? prefix = null)
    {
        if (properties is null)
        {
            return;
        }
        foreach (var (name, value) in properties)
        {
            AddJson(prefix is null ? name : prefix + "[" + name + "]", value);
        }
    }

    /// <summary>
    /// A file part, streamed from the host's temporary copy when the request is sent, with the client's file name and
    /// declared content type. A <see cref="StreamContent"/> over a seekable file has a known length (so the body gets a
    /// Content-Length) and rewinds if the handler has to send it again.
    /// </summary>
    public void AddFile(string name, FilePart file)
    {
        var part = new StreamContent(file.OpenRead(), 81920);
        try
        {
            var fileName = string.IsNullOrEmpty(file.FileName) ? "blob" : file.FileName;
            part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{Escape(name)}\"; filename=\"{Escape(fileName)}\"");
            // As declared (the API checks it: image/png, image/jpeg or image/webp); a line break could only add a header.
            var declared = file.ContentType;
            var contentType = string.IsNullOrWhiteSpace(declared) || declared.AsSpan().IndexOfAny('\r', '\n') >= 0 ? "application/octet-stream" : declared;
            if (!part.Headers.TryAddWithoutValidation("Content-Type", contentType))
            {
                part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            }
            _content.Add(part);
        }
        catch
        {
            part.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every file of a request under its field name; several under one name go as repeated <c>name[]</c>, as the SDK sends a
    /// list of files.
    /// </summary>
    public void AddFiles(FileParts files)
    {
        foreach (var group in files.All.GroupBy(static f => f.Name, StringComparer.Ordinal))
        {
            var many = group.Count() > 1;
            foreach (var file in group)
            {
                AddFile(many ? group.Key + "[]" : group.Key, file);
            }
        }
    }

    /// <summary>Disposes the parts added so far (open files included), for a body that is never sent.</summary>
    public void Dispose() => _content.Dispose();

    // The HTML form encoding's escaping of names in Content-Disposition, which the SDK's FormData applies.
    private static string Escape(string value) =>
        value.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
}
