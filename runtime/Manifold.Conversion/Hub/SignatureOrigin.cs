using System.Buffers;

namespace Manifold.Conversion.Hub;

/// <summary>
/// Which platform issued a reasoning signature, and how that survives a trip through a client.
/// <para>
/// A signature verifies only where it was issued: Anthropic and Gemini answer 400 to one they did not sign, and
/// OpenAI continues only from its own reasoning items. So the hub records the issuer
/// (<see cref="ReasoningPart.Origin"/>, <see cref="ReasoningSignature.Origin"/>): a platform-side decoder knows it,
/// since it is reading that platform's answer, and a platform encoder sends a signature only to its own
/// platform (<see cref="Accepts"/>).
/// </para>
/// <para>
/// A client keeps the signatures of a converted answer and sends them back with its history, possibly to another
/// platform. So the origin rides in the signature Manifold shows the client: <c>mfs1.{origin}.{signature}</c>
/// (<see cref="Tag"/>), which client-side decoders read back (<see cref="Untag"/>). The value is opaque to clients,
/// and the platform gets its signature bare. It composes with the other client-visible forms:
/// </para>
/// <list type="bullet">
/// <item>Chat's <c>reasoning_signature</c> is a tagged signature, or an <c>mfr1.</c> envelope whose entries'
/// <c>signature</c>s are tagged (ChatReasoning).</item>
/// <item>Responses' <c>encrypted_content</c> is a tagged signature (an OpenAI one is <c>{id}|{encrypted_content}</c>
/// in the hub, as ResponsesReasoning explains); <c>manifold-redacted:</c> marks Anthropic's redacted thinking,
/// which is Anthropic's by definition and needs no tag.</item>
/// <item>Gemini's <c>thoughtSignature</c> is a bytes field (base64 in JSON, decoded by typed SDKs), so a Gemini
/// client gets the tagged signature's UTF-8 bytes, base64-encoded (GeminiSignatures).</item>
/// </list>
/// <para>
/// Pass-through answers are never tagged (codecs are not involved). An untagged signature from a client is of
/// unknown origin (history from a pass-through conversation, from before tags, from elsewhere): Origin stays null,
/// and encoders treat it as they always have.
/// </para>
/// </summary>
public static class SignatureOrigin
{
    /// <summary>Anthropic Messages (thinking signatures; redacted thinking is Anthropic's too).</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Gemini generateContent (thoughtSignature).</summary>
    public const string Gemini = "gemini";

    /// <summary>OpenAI Responses (reasoning items' encrypted_content).</summary>
    public const string OpenAI = "openai";

    private const string Prefix = "mfs1.";

    private static readonly SearchValues<char> OriginChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>The signature as a client sees it: tagged with its origin, or unchanged when the origin is unknown.</summary>
    public static string Tag(string signature, string? origin) =>
        origin is null ? signature : string.Concat(Prefix, origin, ".", signature);

    /// <summary>A signature a client sent back: the platform's own value and its origin (null when it was not tagged).</summary>
    public static (string Signature, string? Origin) Untag(string token)
    {
        if (!IsTagged(token))
        {
            return (token, null);
        }
        var dot = token.IndexOf('.', Prefix.Length);
        return (token[(dot + 1)..], token[Prefix.Length..dot]);
    }

    /// <summary>Whether <paramref name="token"/> has the shape <see cref="Tag"/> writes: the prefix, an origin name, a dot.</summary>
    public static bool IsTagged(ReadOnlySpan<char> token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = token[Prefix.Length..];
        var dot = rest.IndexOf('.');
        // Origin names are lowercase words; anything else is a signature that happens to start like a tag.
        return dot > 0 && !rest[..dot].ContainsAnyExcept(OriginChars);
    }

    /// <summary>
    /// Whether <paramref name="platform"/> may be sent a signature of <paramref name="origin"/>: its own, or one
    /// whose origin is unknown (which keeps the behaviour from before origins were recorded).
    /// </summary>
    public static bool Accepts(string platform, string? origin) => origin is null || origin == platform;
}
