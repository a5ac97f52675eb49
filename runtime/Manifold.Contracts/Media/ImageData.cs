namespace Manifold.Contracts;

/// <summary>
/// Images named by a string, as clients send them: a URL, a <c>data:</c> URL, or (the seeds' form) bare base64. One
/// home for reading them, so every platform and the host agree on what each form means.
/// </summary>
public static class ImageData
{
    /// <summary>
    /// <paramref name="value"/> as a URL an upstream understands: an <c>http(s)</c> or <c>data:</c> URL as it is, bare
    /// base64 as a <c>data:</c> URL of the type its bytes announce. Anything else is the caller's 400 naming
    /// <paramref name="param"/>.
    /// </summary>
    public static string ToUrl(string value, string param)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return trimmed;
        }
        var bytes = new byte[(trimmed.Length * 3 / 4) + 3];
        if (trimmed.Length == 0 || !Convert.TryFromBase64String(trimmed, bytes, out var written))
        {
            throw new ManifoldException(400, "invalid_request_error",
                $"'{param}' must be an image URL, a data: URL or base64-encoded image data.", param, code: "invalid_value");
        }
        var type = Sniff(bytes.AsSpan(0, written))
            ?? throw new ManifoldException(400, "invalid_request_error", $"'{param}' holds base64 data that is not a PNG, JPEG, WebP or GIF image.", param, code: "invalid_value");
        return $"data:{type};base64,{trimmed}";
    }

    /// <summary>The image type the first bytes announce (PNG, JPEG, WebP, GIF); null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        return bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8) ? "image/gif" : null;
    }
}
