using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Manifold.Host.AdminConsole;

/// <summary>
/// The console's files (HTML, CSS, JavaScript modules), embedded in this assembly as <c>console/…</c> resources, so
/// <c>dotnet run</c>, <c>dotnet publish</c> and a test host all serve the same bytes with nothing to build or copy. Read
/// once at startup; each carries a strong ETag so a reload costs a 304.
/// </summary>
internal sealed class ConsoleAssets
{
    private const string Prefix = "console/";
    public const string Shell = "index.html";

    public sealed record Asset(byte[] Content, string ContentType, string ETag);

    private readonly FrozenDictionary<string, Asset> _assets;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // MSBuild's RecursiveDir uses the build machine's separator.
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            assets[path[Prefix.Length..]] = new Asset(content, ContentTypeOf(path), $"\"{Convert.ToHexString(SHA256.HashData(content))[..16]}\"");
        }
        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public bool TryGet(string path, out Asset asset) => _assets.TryGetValue(path, out asset!);

    public IEnumerable<string> Paths => _assets.Keys;

    /// <summary>Writes <paramref name="asset"/>, or a 304 when the browser already has it.</summary>
    public static IResult Serve(HttpContext http, Asset asset)
    {
        var headers = http.Response.Headers;
        // The console's own scripts and styles only; media previews may come from an S3 bucket's signed links, hence * for img and media.
        headers.ContentSecurityPolicy = "default-src 'self'; img-src * data: blob:; media-src * blob:; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
}
