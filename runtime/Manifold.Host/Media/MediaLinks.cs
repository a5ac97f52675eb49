using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Manifold.Host.Tasks;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Media;

/// <summary>
/// Signed, expiring links to stored media (<c>/v1/media/{key}?expires=…&amp;signature=…</c>), so an image's <c>url</c>
/// works without a licence, like OpenAI's, yet cannot be forged or used after it expires. The signature is
/// HMAC-SHA256 over the key and the expiry with a secret from <c>Manifold__Media__SigningKey</c>, else one generated
/// once and kept beside the media folder (so links survive a restart of a single node).
/// </summary>
public sealed class MediaLinks
{
    public const string RoutePrefix = "/v1/media/";

    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    public MediaLinks(IOptions<MediaOptions> options, TimeProvider time)
    {
        _time = time;
        _secret = options.Value.SigningKey is { Length: > 0 } configured ? Encoding.UTF8.GetBytes(configured) : StoredSecret(options.Value.Path);
        Lifetime = options.Value.LinkLifetime;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>The path and query of a link to <paramref name="key"/>, valid for <see cref="Lifetime"/>.</summary>
    public string PathFor(string key)
    {
        var expires = (_time.GetUtcNow() + Lifetime).ToUnixTimeSeconds();
        return $"{RoutePrefix}{MediaKeys.Validate(key)}?expires={expires.ToString(CultureInfo.InvariantCulture)}&signature={Sign(key, expires)}";
    }

    /// <summary>Whether a link's signature is this gateway's and it has not expired.</summary>
    public bool IsValid(string key, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var until) || until < _time.GetUtcNow().ToUnixTimeSeconds()
            || signature is null)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(key, until));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Sign(string key, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(key + "\n" + expires.ToString(CultureInfo.InvariantCulture))));

    private static byte[] StoredSecret(string mediaPath)
    {
        var file = Path.Combine(Path.GetFullPath(mediaPath), ".signing-key");
        if (File.Exists(file))
        {
            return Convert.FromHexString(File.ReadAllText(file).Trim());
        }
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var secret = RandomNumberGenerator.GetBytes(32);
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Readable by the gateway's user only: the key forges links.
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var stream = new FileStream(file, create);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret)));
            return secret;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process made it first: use theirs, so both sign alike.
            return Convert.FromHexString(File.ReadAllText(file).Trim());
        }
    }
}
