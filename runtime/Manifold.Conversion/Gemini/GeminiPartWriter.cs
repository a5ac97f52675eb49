using System.Text.Json;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// Hub parts into Gemini parts, for request history and complete answers. Signatures go where Gemini puts them:
/// a reasoning part's signature is held and attached to the next part that is not a thought (a text or function
/// call part), or to an empty text part when nothing follows (as Gemini itself ends a stream). And Gemini 3
/// validates the signature on the first function call of a turn, while protocols that fold signatures into their
/// reasoning (Anthropic's thinking blocks, Chat's <c>reasoning_signature</c>) put it before the text that precedes
/// the call: when the first call would go out unsigned, the last signature before it moves onto it.
/// <para>
/// Towards a platform, only Gemini's own signatures (or ones of unknown origin) go: Gemini answers 400 to a
/// signature it did not issue, so another platform's is dropped and its thought text goes unsigned. Towards a
/// client, every signature goes, in the form that carries its origin (<see cref="GeminiSignatures"/>).
/// </para>
/// </summary>
internal static class GeminiPartWriter
{
    /// <summary>
    /// The Gemini parts of one message or answer. <paramref name="field"/> names the message in errors;
    /// <paramref name="toClient"/> says whether they are for a client (an answer) or a platform (request history);
    /// <paramref name="dropReasoning"/> leaves out thoughts and signatures (<c>close_reasoning_content</c>).
    /// </summary>
    public static List<Part> Write(IReadOnlyList<HubPart> parts, string field, bool toClient, bool dropReasoning = false)
    {
        var output = new List<Part>(parts.Count);
        Func<ReasoningPart, string?> signatureOf = toClient ? ClientSignature : GeminiSignatures.ToPlatform;
        var (firstCall, callSignatureAt) = dropReasoning ? (-1, -1) : SignatureForFirstCall(parts, signatureOf);
        string? pending = null;
        string? callSignature = null;
        for (var i = 0; i < parts.Count; i++)
        {
            var partField = $"{field}[{i}]";
            switch (parts[i])
            {
                case ReasoningPart reasoning:
                    if (dropReasoning)
                    {
                        break;
                    }
                    // Redacted thinking (and a Responses item id) is opaque data only its own platform can read back.
                    var signature = signatureOf(reasoning);
                    if (i == callSignatureAt)
                    {
                        callSignature = signature;
                        signature = null;
                    }
                    if (reasoning.Text.Length > 0)
                    {
                        output.Add(new Part { Text = reasoning.Text, Thought = true });
                    }
                    if (signature is not null)
                    {
                        // Two signatures waiting for one part: the older keeps its place on an empty part.
                        if (pending is not null)
                        {
                            output.Add(new Part { Text = string.Empty, ThoughtSignature = pending });
                        }
                        pending = signature;
                    }
                    break;
                case TextPart text:
                    output.Add(new Part { Text = text.Text, ThoughtSignature = Take(ref pending) });
                    break;
                case RefusalPart refusal:
                    // Gemini has no refusal part: a refusal is what the model said.
                    output.Add(new Part { Text = refusal.Text, ThoughtSignature = Take(ref pending) });
                    break;
                case ImagePart image:
                    output.Add(WithSignature(GeminiMedia.Encode(image.Media, partField), ref pending));
                    break;
                case FilePart file:
                    output.Add(WithSignature(GeminiMedia.Encode(file.Media, partField), ref pending));
                    break;
                case AudioPart audio:
                    output.Add(WithSignature(GeminiMedia.Encode(audio.Media, partField), ref pending));
                    break;
                case ToolCallPart call:
                    output.Add(new Part
                    {
                        FunctionCall = new FunctionCall { Id = call.Id, Name = call.Name, Args = ParseArguments(call.Arguments, partField) },
                        ThoughtSignature = i == firstCall && callSignature is not null ? callSignature : Take(ref pending),
                    });
                    break;
                case ToolResultPart result:
                    var name = result.Name ?? throw GeminiFields.Inexpressible(partField,
                        $"Gemini needs the name of the function whose result this is, and no earlier tool call has the id '{result.CallId}'.");
                    output.Add(new Part { FunctionResponse = GeminiToolResults.Encode(result, name, partField), ThoughtSignature = Take(ref pending) });
                    break;
                default:
                    throw GeminiFields.Inexpressible(partField, $"{parts[i].GetType().Name} has no Gemini form.");
            }
        }
        if (pending is not null)
        {
            output.Add(new Part { Text = string.Empty, ThoughtSignature = pending });
        }
        return output;
    }

    /// <summary>
    /// The first function call, and the reasoning part whose signature it takes (-1 when none must move): the last
    /// signed one before the call, unless a signature-only part right before the call already signs it.
    /// </summary>
    private static (int FirstCall, int SignatureAt) SignatureForFirstCall(IReadOnlyList<HubPart> parts, Func<ReasoningPart, string?> signatureOf)
    {
        var firstCall = -1;
        for (var i = 0; i < parts.Count && firstCall < 0; i++)
        {
            if (parts[i] is ToolCallPart)
            {
                firstCall = i;
            }
        }
        if (firstCall <= 0 || parts[firstCall - 1] is ReasoningPart { Text.Length: 0 } signatureOnly && signatureOf(signatureOnly) is not null)
        {
            return (firstCall, -1);
        }
        for (var i = firstCall - 1; i >= 0; i--)
        {
            if (parts[i] is ReasoningPart reasoning && signatureOf(reasoning) is not null)
            {
                return (firstCall, i);
            }
        }
        return (firstCall, -1);
    }

    /// <summary>Tool arguments as the JSON object Gemini's <c>args</c> is; empty text is no arguments.</summary>
    public static JsonElement ParseArguments(string arguments, string field) =>
        TryParseArguments(arguments) ?? throw new ConversionException(field, "Tool call arguments must be a JSON object to be sent to Gemini.");

    /// <summary>The arguments as a JSON object, or null when they are not one.</summary>
    public static JsonElement? TryParseArguments(string arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            arguments = "{}";
        }
        try
        {
            using var document = JsonDocument.Parse(arguments);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ClientSignature(ReasoningPart part) =>
        part.Signature is { } signature ? GeminiSignatures.ToClient(signature, part.Origin) : null;

    private static Part WithSignature(Part part, ref string? pending)
    {
        part.ThoughtSignature = Take(ref pending);
        return part;
    }

    private static string? Take(ref string? pending)
    {
        var value = pending;
        pending = null;
        return value;
    }
}
