using System.Text;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// <c>thoughtSignature</c> values and <see cref="SignatureOrigin"/>. The field is bytes (base64 in JSON): Gemini
/// rejects a value that is not base64, and typed SDKs (Go <c>[]byte</c>, Java <c>byte[]</c>, Python <c>bytes</c>)
/// decode it. So a Gemini client is shown a tagged signature as bytes: the base64 of the tag's UTF-8, which every
/// SDK hands back unchanged in meaning. Untagged values (Gemini's own, or of unknown origin) pass as they are.
/// </summary>
internal static class GeminiSignatures
{
    /// <summary>
    /// Google's documented stand-in for the signature of a function call Gemini did not make (history from another
    /// model, or a call injected by hand): Gemini 3 answers 400 when the first function call of a step in the
    /// current turn has no signature, and accepts this one instead.
    /// </summary>
    public const string SkipValidator = "skip_thought_signature_validator";

    private static readonly byte[] TagStart = "mfs1."u8.ToArray();

    /// <summary>The signature to send a Gemini platform for <paramref name="part"/>: Gemini's own or of unknown origin, else none.</summary>
    public static string? ToPlatform(ReasoningPart part) =>
        part.Signature is { } signature && SignatureOrigin.Accepts(SignatureOrigin.Gemini, part.Origin) ? signature : null;

    /// <summary>The <c>thoughtSignature</c> to show a Gemini client for a signature of <paramref name="origin"/>.</summary>
    public static string ToClient(string signature, string? origin) =>
        origin is null ? signature : Convert.ToBase64String(Encoding.UTF8.GetBytes(SignatureOrigin.Tag(signature, origin)));

    /// <summary>A <c>thoughtSignature</c> a Gemini client sent: the platform's signature and its origin, as <see cref="ToClient"/> wrote them.</summary>
    public static (string Signature, string? Origin) FromClient(string thoughtSignature)
    {
        if (thoughtSignature == SkipValidator)
        {
            // Gemini's own stand-in, meaningless to any other platform.
            return (thoughtSignature, SignatureOrigin.Gemini);
        }
        if (SignatureOrigin.IsTagged(thoughtSignature))
        {
            // The tag as text: not what Manifold shows Gemini clients, but unambiguous.
            return SignatureOrigin.Untag(thoughtSignature);
        }
        return TryDecode(thoughtSignature) is { } tagged ? SignatureOrigin.Untag(tagged) : (thoughtSignature, null);
    }

    /// <summary>The tag inside a base64 value, or null when the bytes are not one (a real signature's never start like a tag).</summary>
    private static string? TryDecode(string value)
    {
        // SDKs may write bytes back in base64's URL-safe alphabet, or without padding.
        var normalized = value.Replace('-', '+').Replace('_', '/');
        if (normalized.Length % 4 != 0)
        {
            normalized = normalized.PadRight(normalized.Length + 4 - normalized.Length % 4, '=');
        }
        var bytes = new byte[normalized.Length / 4 * 3];
        if (!Convert.TryFromBase64String(normalized, bytes, out var written) || !bytes.AsSpan(0, written).StartsWith(TagStart))
        {
            return null;
        }
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
            return SignatureOrigin.IsTagged(text) ? text : null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
