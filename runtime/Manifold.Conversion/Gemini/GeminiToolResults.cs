using System.Text.Json;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// <c>functionResponse</c> and <see cref="ToolResultPart"/>. Gemini's <c>response</c> is a JSON object, where other
/// protocols send text. By Gemini's convention the output goes under <c>output</c> or <c>result</c> and a failure
/// under <c>error</c>: a one-key object of that kind holding a string is unwrapped to that string; any other
/// object is kept as its JSON text. The other way, text that is a JSON object is sent as that object (the model
/// sees the structure), anything else as <c>{"result": text}</c>, or <c>{"error": text}</c> for a failed call.
/// Media in a result (<c>functionResponse.parts</c>, Gemini 3) travel as hub media parts.
/// </summary>
internal static class GeminiToolResults
{
    private const string Result = "result";
    private const string Error = "error";

    public static ToolResultPart Decode(FunctionResponse response, string callId, string path)
    {
        GeminiFields.RejectUnknown(response.AdditionalProperties, path);
        if (response.WillContinue == true || response.Scheduling is not null and not FunctionResponseSchedulingValues.SCHEDULINGUNSPECIFIED)
        {
            // Non-blocking calls belong to the Live API; a one-shot answer on another platform has no way to honour them.
            throw GeminiFields.Unsupported(response.WillContinue == true ? path + ".willContinue" : path + ".scheduling");
        }
        var content = new List<HubPart>();
        var isError = false;
        if (response.Response is { ValueKind: JsonValueKind.Object } body)
        {
            content.Add(new TextPart(Unwrap(body, out isError)));
        }
        if (response.Parts is { } parts)
        {
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                GeminiFields.RejectUnknown(part.AdditionalProperties, $"{path}.parts[{i}]");
                if (part.InlineData is { } blob)
                {
                    content.Add(GeminiMedia.Decode(blob));
                }
                else if (part.FileData is { } file)
                {
                    content.Add(GeminiMedia.Decode(file));
                }
            }
        }
        return new ToolResultPart(callId, response.Name, content, isError);
    }

    public static FunctionResponse Encode(ToolResultPart result, string name, string field)
    {
        var response = new FunctionResponse { Id = result.CallId, Name = name };
        var text = result.JoinedText();
        response.Response = Wrap(text, result.IsError);
        foreach (var part in result.Content)
        {
            switch (part)
            {
                case TextPart:
                    break;
                case ImagePart or FilePart or AudioPart:
                    var media = GeminiMedia.Encode(MediaOf(part), field);
                    (response.Parts ??= []).Add(new FunctionResponsePart { InlineData = media.InlineData, FileData = media.FileData });
                    break;
                default:
                    throw GeminiFields.Inexpressible(field, $"a tool result holding {part.GetType().Name} cannot be sent to Gemini.");
            }
        }
        return response;
    }

    private static HubMedia MediaOf(HubPart part) => part switch
    {
        ImagePart image => image.Media,
        FilePart file => file.Media,
        AudioPart audio => audio.Media,
        _ => throw new InvalidOperationException("Not a media part."),
    };

    private static string Unwrap(JsonElement body, out bool isError)
    {
        isError = false;
        using var properties = body.EnumerateObject();
        if (!properties.MoveNext())
        {
            return "{}";
        }
        var only = properties.Current;
        if (properties.MoveNext())
        {
            return GeminiPartReader.Compact(body);
        }
        isError = only.Name == Error;
        if (only.Name is Result or "output" or "content" or Error)
        {
            return only.Value.ValueKind == JsonValueKind.String ? only.Value.GetString()! : GeminiPartReader.Compact(only.Value);
        }
        return GeminiPartReader.Compact(body);
    }

    private static JsonElement Wrap(string text, bool isError)
    {
        if (!isError && LooksLikeObject(text))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: wrapped as text below.
            }
        }
        var wrapped = new Dictionary<string, string> { [isError ? Error : Result] = text };
        return JsonSerializer.SerializeToElement(wrapped);
    }

    private static bool LooksLikeObject(string text)
    {
        var trimmed = text.AsSpan().Trim();
        return trimmed.Length >= 2 && trimmed[0] == '{' && trimmed[^1] == '}';
    }
}
