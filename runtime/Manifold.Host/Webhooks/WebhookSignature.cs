using System.Security.Cryptography;
using System.Text;

namespace Manifold.Host.Webhooks;

/// <summary>
/// Standard Webhooks signing (standardwebhooks.com): <c>webhook-signature: v1,{base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))}</c>
/// beside <c>webhook-id</c> and <c>webhook-timestamp</c> (Unix seconds). The key is the secret's bytes: for a
/// <c>whsec_…</c> secret, the base64 after the prefix, as the Standard Webhooks libraries read it.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string Sign(ReadOnlySpan<byte> key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>Adds the three headers to <paramref name="request"/>, signed at <paramref name="timestamp"/>.</summary>
    public static void Apply(HttpRequestMessage request, ReadOnlySpan<byte> key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        request.Headers.TryAddWithoutValidation(IdHeader, id);
        request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(key, id, timestamp, body));
    }

    /// <summary>The key of a secret: <c>whsec_</c> + base64 as Standard Webhooks writes it, else (an older plain secret) its UTF-8 bytes.</summary>
    public static byte[] KeyOf(string secret)
    {
        if (secret.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal))
        {
            try
            {
                return Convert.FromBase64String(secret[WebhookSecret.Prefix.Length..]);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException("Manifold__Webhooks__Secret starts with whsec_ but the rest is not base64.");
            }
        }
        return Encoding.UTF8.GetBytes(secret);
    }
}
