using System.Security.Cryptography;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.OpenAI;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using MediaTypeHeaderValue = Microsoft.Net.Http.Headers.MediaTypeHeaderValue;

namespace Manifold.Plugins.Tests.Sora;

/// <summary>Platforms of the <c>sora</c> kind, made as the host makes them, and what the fake upstream needs to read their forms.</summary>
internal static class SoraFakes
{
    public static IVideosAdapter Platform(Uri? baseUrl, HttpClient? http = null) =>
        (IVideosAdapter)new SoraPlugin().CreatePlatform(TestPlatforms.Settings("sora", baseUrl), TestPlatforms.Services(http));

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<string> Sha256Async(Stream stream) => Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
}

/// <summary>
/// A multipart body as the fake upstream received it: read by ASP.NET Core's form reader (fields and files, as a server
/// would bind them), and section by section by its MultipartReader (each part's headers as sent).
/// </summary>
internal sealed record ReceivedForm(
    IReadOnlyDictionary<string, string[]> Fields,
    IReadOnlyList<ReceivedFile> Files,
    IReadOnlyList<IReadOnlyDictionary<string, string>> PartHeaders)
{
    public string Field(string name) => Assert.Single(Assert.Contains(name, Fields));

    public static async Task<ReceivedForm> ReadAsync(HttpRequest request)
    {
        Assert.True(request.HasFormContentType, request.ContentType);
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var fields = form.ToDictionary(static f => f.Key, static f => f.Value.ToArray().Select(static v => v ?? "").ToArray());
        var files = new List<ReceivedFile>();
        foreach (var file in form.Files)
        {
            await using var content = file.OpenReadStream();
            files.Add(new ReceivedFile(file.Name, file.FileName, file.ContentType, file.Length, await SoraFakes.Sha256Async(content)));
        }

        // The recording middleware buffered the body: read it again, part by part, for the headers each part was sent with.
        request.Body.Position = 0;
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value!;
        var reader = new MultipartReader(boundary, request.Body);
        var headers = new List<IReadOnlyDictionary<string, string>>();
        while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted) is { } section)
        {
            headers.Add((section.Headers ?? []).ToDictionary(static h => h.Key, static h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        }
        return new ReceivedForm(fields, files, headers);
    }
}

internal sealed record ReceivedFile(string Name, string FileName, string ContentType, long Length, string Sha256);

/// <summary>A reference image as the host hands it to an adapter: a temporary file on disk, deleted with this object.</summary>
internal sealed class TempFilePart : IDisposable
{
    private readonly string _path;

    public TempFilePart(string name, string fileName, string contentType, byte[] bytes)
    {
        _path = Path.Combine(Path.GetTempPath(), "manifold-sora-test-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(_path, bytes);
        Bytes = bytes;
        Part = new FilePart(name, fileName, contentType, bytes.Length, _path);
    }

    public byte[] Bytes { get; }

    /// <summary>
    /// Whether nothing holds the file open any more (so the host can delete it when the request ends): only then can it be
    /// opened exclusively (on Unix, .NET's FileShare.None takes an exclusive lock that a reader's shared one blocks).
    /// </summary>
    public bool IsClosed()
    {
        try
        {
            using (File.Open(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                return true;
            }
        }
        catch (IOException)
        {
            return false;
        }
    }

    public FilePart Part { get; }

    /// <summary>Bytes that look like nothing in particular, so that a part cut short or re-encoded shows in its hash.</summary>
    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => File.Delete(_path);
}
