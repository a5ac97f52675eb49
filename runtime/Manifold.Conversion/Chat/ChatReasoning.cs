using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Chat;

/// <summary>
/// How an assistant turn's reasoning rides on a Chat Completions message: the text in <c>reasoning_content</c>
/// (DeepSeek's convention) and everything a platform needs to continue from it in <c>reasoning_signature</c>,
/// a Manifold extension field whose value is opaque to the client.
/// <para>
/// Why a token rather than the bare signature: a Chat client echoes the assistant message back on its next
/// request, and that must be enough for the platform to continue. Anthropic checks a signature against the
/// thinking text it signed (so the text must come back even when the client was not shown it), redacted
/// thinking is a separate opaque blob, and Gemini wants its signature back on the very part it came with (the
/// first function call of a step). One Chat message has one <c>reasoning_content</c> and no place for any of
/// that, so:
/// </para>
/// <list type="bullet">
/// <item>In the common case (one signed reasoning part at the start of the turn whose text the client sees,
/// or has none) the token IS the platform's signature, tagged with its origin (<see cref="SignatureOrigin"/>).</item>
/// <item>Otherwise it is <c>mfr1.</c> + base64url of a JSON array of the reasoning parts
/// (<c>text</c>, <c>signature</c> (tagged likewise), <c>redacted</c>, <c>id</c>, and <c>before_tool</c>: the index
/// of the tool call the part preceded). When a token is an envelope, it is authoritative and
/// <c>reasoning_content</c> is ignored on the way back in.</item>
/// </list>
/// Tags are read back on the way in; a signature without one is of unknown origin.
/// Reasoning text that carries no signature is not needed to continue, so a token never carries it when the text
/// is hidden; the client sees it only in <c>reasoning_content</c>, when shown.
/// </summary>
internal static class ChatReasoning
{
    private const string EnvelopePrefix = "mfr1.";

    /// <summary>One reasoning part of a message and where it sat relative to the tool calls.</summary>
    internal sealed record Entry(ReasoningPart Part, int? BeforeTool);

    /// <summary>
    /// The <c>reasoning_content</c> and <c>reasoning_signature</c> of an assistant message whose hub parts are
    /// <paramref name="parts"/>. <paramref name="showText"/> is whether the client sees the reasoning text;
    /// <paramref name="withToken"/> whether it gets the token (false for <c>close_reasoning_content</c>, and
    /// towards upstreams, which never issue or read one).
    /// </summary>
    public static (string? Content, string? Token) Encode(IReadOnlyList<HubPart> parts, bool showText, bool withToken)
    {
        var entries = Entries(parts);
        if (entries.Count == 0)
        {
            return (null, null);
        }
        string? content = null;
        if (showText)
        {
            var text = new StringBuilder();
            foreach (var entry in entries)
            {
                text.Append(entry.Part.Text);
            }
            content = text.Length == 0 ? null : text.ToString();
        }
        return (content, withToken ? Token(entries, showText, HasContentBeforeTools(parts)) : null);
    }

    /// <summary>
    /// The reasoning parts of a message read back from its two fields, and where they go: <c>Leading</c> before the
    /// message's text, <c>BeforeTool[i]</c> right before tool call i (an index past the last call means after all).
    /// </summary>
    public static (List<ReasoningPart> Leading, Dictionary<int, List<ReasoningPart>>? BeforeTool) Decode(
        string? reasoningContent, string? token, string param)
    {
        var leading = new List<ReasoningPart>();
        if (string.IsNullOrEmpty(token))
        {
            if (!string.IsNullOrEmpty(reasoningContent))
            {
                leading.Add(new ReasoningPart(reasoningContent));
            }
            return (leading, null);
        }
        if (!token.StartsWith(EnvelopePrefix, StringComparison.Ordinal))
        {
            var (signature, origin) = SignatureOrigin.Untag(token);
            leading.Add(new ReasoningPart(reasoningContent ?? "", signature) { Origin = origin });
            return (leading, null);
        }
        Dictionary<int, List<ReasoningPart>>? beforeTool = null;
        foreach (var entry in ReadEnvelope(token, param))
        {
            if (entry.BeforeTool is { } index)
            {
                beforeTool ??= [];
                if (!beforeTool.TryGetValue(index, out var list))
                {
                    beforeTool[index] = list = [];
                }
                list.Add(entry.Part);
            }
            else
            {
                leading.Add(entry.Part);
            }
        }
        return (leading, beforeTool);
    }

    /// <summary>
    /// The reasoning parts in order, each with the tool call it came before: a part after some tool calls
    /// belongs after them; a part with only a signature right before a tool call belongs to that call (Gemini).
    /// </summary>
    private static List<Entry> Entries(IReadOnlyList<HubPart> parts)
    {
        var entries = new List<Entry>();
        var toolsSeen = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            switch (parts[i])
            {
                case ReasoningPart reasoning:
                    int? before = toolsSeen > 0 ? toolsSeen : null;
                    if (before is null && IsSignatureOnly(reasoning) && i + 1 < parts.Count && parts[i + 1] is ToolCallPart)
                    {
                        before = 0;
                    }
                    entries.Add(new Entry(reasoning, before));
                    break;
                case ToolCallPart:
                    toolsSeen++;
                    break;
            }
        }
        return entries;
    }

    private static string? Token(List<Entry> entries, bool showText, bool contentBeforeTools)
    {
        // Unsigned text is only worth carrying when the client was shown it (and could edit it).
        var kept = showText ? entries : entries.FindAll(static e => e.Part.Signature is not null || e.Part.Redacted is not null);
        if (kept.Count == 0 || kept.TrueForAll(static e => e.Part.Signature is null && e.Part.Redacted is null))
        {
            return null;
        }
        // Shown text of several parts would merge into the one signed part on the way back.
        if (kept.Count == 1 && (!showText || entries.Count == 1) && IsPlain(kept[0], showText, contentBeforeTools))
        {
            return ClientSignature(kept[0].Part);
        }
        return WriteEnvelope(kept);
    }

    /// <summary>
    /// Whether the bare signature decodes to the same part in the same place: a plain token comes back as
    /// <c>ReasoningPart(reasoning_content, signature)</c> at the start of the message.
    /// </summary>
    private static bool IsPlain(Entry entry, bool showText, bool contentBeforeTools)
    {
        var part = entry.Part;
        if (part.Signature is null || part.Redacted is not null || part.Id is not null
            || ClientSignature(part)!.StartsWith(EnvelopePrefix, StringComparison.Ordinal))
        {
            return false;
        }
        if (part.Text.Length > 0 && !showText)
        {
            return false;
        }
        // Before tool call 0 is the start too, unless text or a refusal comes between.
        return entry.BeforeTool is null || (entry.BeforeTool == 0 && !contentBeforeTools);
    }

    private static bool HasContentBeforeTools(IReadOnlyList<HubPart> parts)
    {
        foreach (var part in parts)
        {
            if (part is TextPart or RefusalPart)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The signature as the client sees it: tagged with its origin.</summary>
    private static string? ClientSignature(ReasoningPart part) =>
        part.Signature is null ? null : SignatureOrigin.Tag(part.Signature, part.Origin);

    private static bool IsSignatureOnly(ReasoningPart part) =>
        part.Text.Length == 0 && part.Signature is not null && part.Redacted is null;

    private static string WriteEnvelope(List<Entry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (part, before) in entries)
            {
                writer.WriteStartObject();
                if (part.Text.Length > 0)
                {
                    writer.WriteString("text", part.Text);
                }
                if (ClientSignature(part) is { } signature)
                {
                    writer.WriteString("signature", signature);
                }
                if (part.Redacted is not null)
                {
                    writer.WriteString("redacted", part.Redacted);
                }
                if (part.Id is not null)
                {
                    writer.WriteString("id", part.Id);
                }
                if (before is { } index)
                {
                    writer.WriteNumber("before_tool", index);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return EnvelopePrefix + Base64Url.EncodeToString(buffer.WrittenSpan);
    }

    private static List<Entry> ReadEnvelope(string token, string param)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(token.AsSpan(EnvelopePrefix.Length));
            using var document = JsonDocument.Parse(bytes);
            var entries = new List<Entry>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var (signature, origin) = String(item, "signature") is { } tagged ? SignatureOrigin.Untag(tagged) : (null, null);
                var part = new ReasoningPart(String(item, "text") ?? "", signature)
                {
                    Redacted = String(item, "redacted"),
                    Id = String(item, "id"),
                    Origin = origin,
                };
                int? before = item.TryGetProperty("before_tool", out var index) ? index.GetInt32() : null;
                entries.Add(new Entry(part, before));
            }
            return entries;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            throw new ConversionException(param, $"'{param}' is not a reasoning_signature Manifold issued; send it back unchanged.");
        }
    }

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.GetString() : null;
}
