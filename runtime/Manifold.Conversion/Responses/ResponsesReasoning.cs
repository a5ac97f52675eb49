using System.Text;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Responses;

/// <summary>
/// Reasoning items in hub terms. The summary text is <see cref="ReasoningPart.Text"/>; what the model needs to
/// continue from it travels as the signature, in one of two forms depending on which side of Manifold the
/// Responses protocol is on:
/// <list type="bullet">
/// <item>Towards a Responses client, <c>encrypted_content</c> is the hub signature, whoever issued it, tagged with
/// its origin (<see cref="SignatureOrigin"/>; a Claude or Gemini signature comes back from the client and goes only
/// to its own platform), and Anthropic's redacted thinking is <c>encrypted_content</c> marked with
/// <see cref="RedactedPrefix"/>, so it comes back as redacted thinking.</item>
/// <item>From an OpenAI platform, the signature is <c>{id}|{encrypted_content}</c>. OpenAI continues only from
/// its own reasoning items, named by id; a streamed answer has no other place for the id than the signature,
/// and a client of another protocol keeps nothing else. Its shape also tells OpenAI's reasoning apart from
/// other platforms' signatures, which OpenAI cannot read.</item>
/// </list>
/// </summary>
internal static class ResponsesReasoning
{
    /// <summary>Marks Anthropic redacted thinking carried in <c>encrypted_content</c>.</summary>
    public const string RedactedPrefix = "manifold-redacted:";

    /// <summary>Between summary parts, once they are joined into one text.</summary>
    public const string SummarySeparator = "\n\n";

    private const char IdSeparator = '|';

    /// <summary>
    /// The text of a reasoning item: its summary parts joined, or, when it has no summary, its raw
    /// <c>reasoning_text</c> content (open-weight models served through the Responses API return that instead).
    /// </summary>
    public static string Text(IReadOnlyList<ResponseContentPart>? summary, IReadOnlyList<ResponseContentPart>? content)
    {
        var text = Join(summary, "summary_text");
        return text.Length > 0 ? text : Join(content, "reasoning_text");
    }

    /// <summary>
    /// A Responses client's reasoning item (input or output), in hub terms. Its id is kept only when it is
    /// OpenAI's: one Manifold made for another platform's thinking names nothing, and would make that thinking
    /// look like OpenAI's to the platform it goes back to. <c>encrypted_content</c> is read as <see cref="ToClient"/>
    /// wrote it; untagged, its origin is unknown.
    /// </summary>
    public static ReasoningPart FromClient(string? itemId, string text, string? encryptedContent)
    {
        var id = ResponsesIds.OpenAIReasoning(itemId);
        if (encryptedContent is not null && encryptedContent.StartsWith(RedactedPrefix, StringComparison.Ordinal))
        {
            return new ReasoningPart(text) { Redacted = encryptedContent[RedactedPrefix.Length..], Id = id };
        }
        if (encryptedContent is null)
        {
            return new ReasoningPart(text) { Id = id };
        }
        var (signature, origin) = SignatureOrigin.Untag(encryptedContent);
        return new ReasoningPart(text, signature) { Id = id, Origin = origin };
    }

    /// <summary>The <c>encrypted_content</c> to show a Responses client for <paramref name="part"/>.</summary>
    public static string? ToClient(ReasoningPart part)
    {
        if (part.Redacted is not null)
        {
            return RedactedPrefix + part.Redacted;
        }
        if (part.Signature is null)
        {
            return null;
        }
        if (TryUnpack(part.Signature, out _, out var encrypted))
        {
            // The id of an OpenAI item goes in the item's own id field (see ClientId).
            return encrypted is null ? null : SignatureOrigin.Tag(encrypted, part.Origin);
        }
        return SignatureOrigin.Tag(part.Signature, part.Origin);
    }

    /// <summary>
    /// The <c>encrypted_content</c> to show a Responses client for a streamed signature. The stream's reasoning items
    /// carry ids Manifold made, so an OpenAI signature keeps its <c>{id}|</c> for the way back.
    /// </summary>
    public static string ToClient(ReasoningSignature signature) => SignatureOrigin.Tag(signature.Signature, signature.Origin);

    /// <summary>The item id to show a Responses client for <paramref name="part"/>: its own, or the OpenAI one its signature carries.</summary>
    public static string? ClientId(ReasoningPart part) =>
        part.Id ?? (part.Signature is not null && TryUnpack(part.Signature, out var id, out _) ? id : null);

    /// <summary>The hub signature of a reasoning item an OpenAI platform answered with.</summary>
    public static string? FromPlatform(string? id, string? encryptedContent) =>
        string.IsNullOrEmpty(id) ? encryptedContent : id + IdSeparator + encryptedContent;

    /// <summary>
    /// The id and <c>encrypted_content</c> with which <paramref name="part"/> goes back to an OpenAI platform; false
    /// when the part is not OpenAI's (another platform's thinking, or reasoning text a client wrote), which OpenAI
    /// cannot continue from. OpenAI's reasoning is known by its shape (an OpenAI id); a part whose origin says it
    /// is another platform's never goes, whatever its shape.
    /// </summary>
    public static bool ToPlatform(ReasoningPart part, out string id, out string? encryptedContent)
    {
        if (!SignatureOrigin.Accepts(SignatureOrigin.OpenAI, part.Origin))
        {
            id = "";
            encryptedContent = null;
            return false;
        }
        if (part.Signature is not null && TryUnpack(part.Signature, out id, out encryptedContent))
        {
            return true;
        }
        if (part.Id is not null && part.Redacted is null)
        {
            id = part.Id;
            encryptedContent = part.Signature;
            return true;
        }
        id = "";
        encryptedContent = null;
        return false;
    }

    private static bool TryUnpack(string signature, out string id, out string? encryptedContent)
    {
        var separator = signature.IndexOf(IdSeparator);
        // Base64 signatures (OpenAI's, Anthropic's, Gemini's) never contain the separator, item ids never whitespace.
        if (separator <= 0 || signature.AsSpan(0, separator).ContainsAny(" \t\r\n"))
        {
            id = "";
            encryptedContent = null;
            return false;
        }
        id = signature[..separator];
        encryptedContent = separator == signature.Length - 1 ? null : signature[(separator + 1)..];
        return true;
    }

    private static string Join(IReadOnlyList<ResponseContentPart>? parts, string type)
    {
        if (parts is null || parts.Count == 0)
        {
            return "";
        }
        if (parts.Count == 1)
        {
            return parts[0].Type == type ? parts[0].Text ?? "" : "";
        }
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part.Type != type || string.IsNullOrEmpty(part.Text))
            {
                continue;
            }
            if (text.Length > 0)
            {
                text.Append(SummarySeparator);
            }
            text.Append(part.Text);
        }
        return text.ToString();
    }
}
