using System.Globalization;
using System.Net.Http.Headers;
using Manifold.Contracts;
using Manifold.Contracts.Net;

namespace Manifold.Host.Tasks.Generations;

/// <summary>
/// The seeds' <c>images</c> as files, so every platform gets them the one way it already takes uploads (a video's
/// <c>input_reference</c> part, an edit's <c>image</c> parts): a <c>data:</c> URL or bare base64 is decoded, an http(s) URL
/// is fetched through the guard against internal addresses (<see cref="GuardedHttp"/>), each at most
/// <see cref="MaxBytes"/>. The files live in a temporary folder the caller deletes once the job is created (a video's
/// platform has sent them by then; an image job has copied them into storage).
/// </summary>
internal sealed class ReferenceFiles : IDisposable
{
    /// <summary>Largest reference image taken, as the Veo platform's own fetch.</summary>
    public const long MaxBytes = 20 * 1024 * 1024;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "manifold-references", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));

    public static async Task<(ReferenceFiles Folder, FileParts Files)> LoadAsync(
        IReadOnlyList<string> images, string partName, HttpClient guarded, CancellationToken cancellationToken)
    {
        var folder = new ReferenceFiles();
        try
        {
            var parts = new List<FilePart>(images.Count);
            for (var i = 0; i < images.Count; i++)
            {
                parts.Add(await folder.LoadOneAsync(images[i], $"images[{i}]", partName, i, guarded, cancellationToken).ConfigureAwait(false));
            }
            return (folder, new FileParts(parts));
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    private async Task<FilePart> LoadOneAsync(string image, string field, string partName, int index, HttpClient guarded, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, index.ToString(CultureInfo.InvariantCulture));
        if (Uri.TryCreate(image, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            var (type, length) = await FetchAsync(url, path, field, guarded, cancellationToken).ConfigureAwait(false);
            return new FilePart(partName, $"{partName}{index}{Extension(type)}", type, length, path);
        }
        byte[] bytes;
        string? declared = null;
        var data = image;
        if (image.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = image.IndexOf(',', StringComparison.Ordinal);
            var header = comma > 0 ? image[5..comma] : "";
            if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                throw GenerationFields.Invalid(field, $"'{field}' is a data: URL without base64 content.");
            }
            declared = header[..^";base64".Length];
            data = image[(comma + 1)..];
        }
        if ((long)data.Length * 3 / 4 > MaxBytes)
        {
            throw TooLarge(field);
        }
        try
        {
            bytes = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            throw GenerationFields.Invalid(field, $"'{field}' is neither an http(s) URL, a data: URL nor base64.");
        }
        var sniffed = Sniff(bytes) ?? throw GenerationFields.Invalid(field, $"'{field}' is not a PNG, JPEG, WebP or GIF image.");
        await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        var contentType = declared is { Length: > 0 } && declared.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? declared : sniffed;
        return new FilePart(partName, $"{partName}{index}{Extension(contentType)}", contentType, bytes.Length, path);
    }

    private static async Task<(string Type, long Length)> FetchAsync(Uri url, string path, string field, HttpClient guarded, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await guarded.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (Blocked(ex) is { } blocked)
        {
            throw GenerationFields.Invalid(field, $"'{field}' cannot be fetched: {blocked.Message}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw GenerationFields.Invalid(field, $"'{field}' could not be fetched ({ex.GetType().Name}).");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw GenerationFields.Invalid(field, $"'{field}' could not be fetched: its server answered {(int)response.StatusCode}.");
            }
            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                throw TooLarge(field);
            }
            var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    var buffer = new byte[81920];
                    long total = 0;
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        total += read;
                        if (total > MaxBytes)
                        {
                            throw TooLarge(field);
                        }
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            var head = new byte[12];
            await using (var check = File.OpenRead(path))
            {
                _ = await check.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }
            var type = Sniff(head) ?? (response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: { } media } && media.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
                ? media
                : throw GenerationFields.Invalid(field, $"'{field}' is not a PNG, JPEG, WebP or GIF image."));
            return (type, new FileInfo(path).Length);
        }
    }

    private static BlockedAddressException? Blocked(Exception ex) =>
        ex as BlockedAddressException ?? (ex.InnerException is { } inner ? Blocked(inner) : null);

    private static ManifoldException TooLarge(string field) =>
        GenerationFields.Invalid(field, $"'{field}' is larger than {MaxBytes / (1024 * 1024)} MiB.");

    /// <summary>The image type the bytes announce, or null.</summary>
    private static string? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
        _ => null,
    };

    private static string Extension(string type) => type switch
    {
        "image/jpeg" => ".jpg",
        "image/webp" => ".webp",
        "image/gif" => ".gif",
        _ => ".png",
    };

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temporary copy left behind is the OS's to clean.
        }
    }
}
