using System.Text.Json;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// Gemini parts into hub parts, for requests (history) and complete answers alike. Gemini signs reasoning on the
/// first part after the thoughts (a text or function call part). That signature goes to the unsigned thought
/// right before it (<c>ReasoningPart(text, sig)</c>, as a stream's ReasoningDelta then ReasoningSignature), or,
/// with no thought shown, becomes a signature-only <see cref="ReasoningPart"/> right before the part; a signature
/// on a thought part itself stays with it. The encoder puts signatures back on the part after the reasoning.
/// A platform's signatures are Gemini's (<see cref="SignatureOrigin.Gemini"/>); a client's are read as Manifold
/// showed them to it (<see cref="GeminiSignatures.FromClient"/>).
/// </summary>
internal static class GeminiPartReader
{
    /// <summary>
    /// Appends the hub form of <paramref name="parts"/> to <paramref name="output"/>. <paramref name="fromClient"/>
    /// (a client's request, as opposed to a platform's answer) rejects what the hub cannot hold; answers are read
    /// leniently, since failing there would lose a generation already paid for, and what the hub cannot hold there
    /// (executed code, for instance) only appears when the request asked for a tool that conversion has already rejected.
    /// </summary>
    public static void Read(List<Part>? parts, string path, GeminiToolCallIds ids, List<HubPart> output, bool fromClient)
    {
        if (parts is null)
        {
            return;
        }
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var partPath = $"{path}.parts[{i}]";
            if (fromClient)
            {
                Reject(part, partPath);
            }
            var (signature, origin) = part.ThoughtSignature is not { Length: > 0 } s ? (null, null)
                : fromClient ? GeminiSignatures.FromClient(s)
                : (s, SignatureOrigin.Gemini);
            if (part.Thought == true)
            {
                if (!string.IsNullOrEmpty(part.Text) || signature is not null)
                {
                    output.Add(new ReasoningPart(part.Text ?? string.Empty, signature) { Origin = origin });
                }
                continue;
            }
            if (signature is not null)
            {
                // Gemini signs the thoughts on the first part after them: the signature of the reasoning just read,
                // as the stream decoder reports it. With no unsigned thought before it, it stands on its own.
                if (output.Count > 0 && output[^1] is ReasoningPart { Text.Length: > 0, Signature: null } thought)
                {
                    output[^1] = thought with { Signature = signature, Origin = origin };
                }
                else
                {
                    output.Add(new ReasoningPart(string.Empty, signature) { Origin = origin });
                }
            }
            if (!string.IsNullOrEmpty(part.Text))
            {
                output.Add(new TextPart(part.Text));
            }
            if (part.InlineData is { } blob)
            {
                output.Add(GeminiMedia.Decode(blob));
            }
            if (part.FileData is { } file)
            {
                output.Add(GeminiMedia.Decode(file));
            }
            if (part.FunctionCall is { } call)
            {
                output.Add(new ToolCallPart(ids.ForCall(call), call.Name, ArgumentsOf(call.Args)));
            }
            if (part.FunctionResponse is { } response)
            {
                var responsePath = partPath + ".functionResponse";
                var callId = ids.ForResponse(response)
                    ?? throw new Pipeline.ConversionException(responsePath, $"No earlier functionCall named '{response.Name}' is left for this functionResponse to answer; give it the call's id.");
                output.Add(GeminiToolResults.Decode(response, callId, responsePath));
            }
        }
    }

    /// <summary>The arguments as compact JSON object text, as every other protocol carries them.</summary>
    public static string ArgumentsOf(JsonElement? args) =>
        args is { ValueKind: JsonValueKind.Object } value ? Compact(value) : "{}";

    /// <summary>
    /// JSON as one line: Google pretty-prints complete answers, and the indentation would otherwise travel into
    /// every other protocol's argument and result strings.
    /// </summary>
    public static string Compact(JsonElement value) => JsonSerializer.Serialize(value, Manifold.Contracts.ManifoldJson.Options);

    private static void Reject(Part part, string path)
    {
        GeminiFields.RejectUnknown(part.AdditionalProperties, path);
        if (part.ExecutableCode is not null)
        {
            throw GeminiFields.Unsupported(path + ".executableCode");
        }
        if (part.CodeExecutionResult is not null)
        {
            throw GeminiFields.Unsupported(path + ".codeExecutionResult");
        }
        if (part.VideoMetadata is not null)
        {
            // Clipping and frame rate change what the model sees; no other protocol can say it.
            throw GeminiFields.Unsupported(path + ".videoMetadata");
        }
        if (part.InlineData is { } blob)
        {
            GeminiFields.RejectUnknown(blob.AdditionalProperties, path + ".inlineData");
        }
        if (part.FileData is { } file)
        {
            GeminiFields.RejectUnknown(file.AdditionalProperties, path + ".fileData");
        }
        if (part.FunctionCall is { } call)
        {
            GeminiFields.RejectUnknown(call.AdditionalProperties, path + ".functionCall");
        }
    }
}
