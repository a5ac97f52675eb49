namespace Manifold.Conversion.Hub;

/// <summary>One piece of a message: text, media, a tool call or result, or reasoning.</summary>
public abstract record HubPart;

public sealed record TextPart(string Text) : HubPart;

/// <summary>
/// Media by value or by reference. Exactly one of <see cref="Data"/> (base64, no <c>data:</c> prefix),
/// <see cref="Url"/> (http(s) or a <c>data:</c> URL as the caller sent it) or <see cref="FileId"/> (an
/// upstream file id, which only converts to the platform that issued it) is set.
/// </summary>
public sealed record HubMedia(string? MediaType, string? Data = null, string? Url = null, string? FileId = null)
{
    /// <summary>The caller's file name, when it gave one (OpenAI <c>file.filename</c>, Anthropic document <c>title</c>).</summary>
    public string? Filename { get; init; }

    /// <summary>OpenAI's image <c>detail</c> (auto, low, high), when given.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// Splits a <c>data:</c> URL into media type and base64 data; any other URL stays a URL. Decoders call
    /// this so encoders only ever see base64 or a fetchable URL.
    /// </summary>
    public static HubMedia FromUrl(string url, string? mediaType = null)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',');
            var header = comma < 0 ? url[5..] : url[5..comma];
            var semicolon = header.IndexOf(';');
            var type = semicolon < 0 ? header : header[..semicolon];
            if (comma > 0 && header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                return new HubMedia(string.IsNullOrEmpty(type) ? mediaType : type, Data: url[(comma + 1)..]);
            }
        }
        return new HubMedia(mediaType, Url: url);
    }

    /// <summary>The media as a URL: the URL itself, or a <c>data:</c> URL built from the base64 data.</summary>
    public string? AsUrl() => Url ?? (Data is null ? null : $"data:{MediaType ?? "application/octet-stream"};base64,{Data}");
}

public sealed record ImagePart(HubMedia Media) : HubPart;

/// <summary>A document: PDF or plain text (OpenAI <c>file</c>, Anthropic <c>document</c>, Gemini non-image inline/file data).</summary>
public sealed record FilePart(HubMedia Media) : HubPart;

/// <summary>Audio input (OpenAI <c>input_audio</c>, Gemini inline audio).</summary>
public sealed record AudioPart(HubMedia Media) : HubPart;

/// <summary>
/// The model calling a tool. <see cref="Arguments"/> is the JSON object text exactly as produced.
/// <see cref="Id"/> is never empty: decoders of protocols without call ids (Gemini) make stable ones.
/// </summary>
public sealed record ToolCallPart(string Id, string Name, string Arguments) : HubPart;

/// <summary>
/// The result of a tool call, sent back by the caller. <see cref="Name"/> is the called function's name;
/// protocols that do not repeat it (OpenAI, Anthropic) leave it null and
/// <see cref="HubConversation.ResolveToolNames"/> fills it from the call earlier in the history.
/// </summary>
public sealed record ToolResultPart(string CallId, string? Name, IReadOnlyList<HubPart> Content, bool IsError = false) : HubPart
{
    /// <summary>The result as one string: the text parts joined (what OpenAI tool messages and Gemini responses carry).</summary>
    public string JoinedText() => string.Concat(Content.OfType<TextPart>().Select(static t => t.Text));
}

/// <summary>
/// Reasoning the model did. <see cref="Signature"/> is the opaque token a platform needs back to
/// continue (Anthropic <c>signature</c>, Gemini <c>thoughtSignature</c>, Responses <c>encrypted_content</c>);
/// a part may carry only a signature (Gemini puts signatures on function calls). <see cref="Redacted"/>
/// holds Anthropic's <c>redacted_thinking.data</c>. <see cref="Id"/> is a Responses reasoning item id.
/// </summary>
public sealed record ReasoningPart(string Text, string? Signature = null) : HubPart
{
    public string? Redacted { get; init; }

    public string? Id { get; init; }

    /// <summary>
    /// The platform that issued <see cref="Signature"/> (a <see cref="SignatureOrigin"/> name), or null when
    /// unknown; platform encoders send a signature only to its own platform. See <see cref="SignatureOrigin"/>.
    /// </summary>
    public string? Origin { get; init; }
}

/// <summary>The model declining to answer (OpenAI <c>refusal</c>).</summary>
public sealed record RefusalPart(string Text) : HubPart;
