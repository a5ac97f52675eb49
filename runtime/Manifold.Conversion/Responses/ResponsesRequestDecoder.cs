using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>A Responses client's request in hub terms.</summary>
internal static class ResponsesRequestDecoder
{
    public static HubRequest Decode(CreateResponseRequest request)
    {
        RejectInexpressible(request);
        var hub = new HubRequest
        {
            Model = request.Model,
            Stream = request.Stream == true,
            ParallelToolCalls = request.ParallelToolCalls,
            MaxOutputTokens = request.MaxOutputTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
            Metadata = request.Metadata,
            // safety_identifier is the field that replaced user for abuse monitoring; the hub has one for both.
            User = request.User ?? request.SafetyIdentifier,
            Reasoning = ResponsesFormats.DecodeReasoning(request.Reasoning),
            ResponseFormat = ResponsesFormats.DecodeText(request.Text),
            ToolChoice = ResponsesTools.DecodeChoice(request.ToolChoice),
        };
        if (!string.IsNullOrEmpty(request.Instructions))
        {
            hub.System.Add(new TextPart(request.Instructions));
        }
        ResponsesTools.Decode(request.Tools, hub);
        if (request.Input?.StringValue is { } text)
        {
            hub.Messages.Add(new HubMessage(HubRole.User, [new TextPart(text)]));
        }
        else if (request.Input?.ArrayValue is { } items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                DecodeItem(items[i], $"input[{i}]", hub);
            }
        }
        HubConversation.ResolveToolNames(hub);
        return hub;
    }

    /// <summary>
    /// Fields that change what the model does and that no other protocol can say. Those left unchecked are
    /// harmless to drop when converting: <c>store</c> (whether OpenAI keeps the response for retrieval),
    /// <c>service_tier</c>, <c>prompt_cache_key</c> and <c>prompt_cache_retention</c> (OpenAI's scheduling and
    /// caching), <c>truncation</c> (only decides whether an over-long input fails or is cut), <c>max_tool_calls</c>
    /// (limits built-in tool calls, which cannot be converted anyway), <c>stream_options.include_obfuscation</c>
    /// (padding on stream events) and <c>include</c> values other than logprobs (extra output of built-in tools,
    /// and encrypted reasoning, which a converted answer carries anyway).
    /// </summary>
    private static void RejectInexpressible(CreateResponseRequest request)
    {
        if (request.AdditionalProperties is { Count: > 0 } unknown)
        {
            var name = unknown.Keys.First();
            throw new ConversionException(name, $"Unknown field '{name}': it cannot be converted for a platform that does not speak OpenAI Responses natively.");
        }
        if (request.PreviousResponseId is not null)
        {
            throw ConversionException.Unsupported("previous_response_id", ResponsesProtocol.Converted, "stored responses exist only on OpenAI; send the whole conversation in input instead.");
        }
        if (request.Conversation is not null)
        {
            throw ConversionException.Unsupported("conversation", ResponsesProtocol.Converted, "conversations are stored only on OpenAI; send the whole conversation in input instead.");
        }
        if (request.Prompt is not null)
        {
            throw ConversionException.Unsupported("prompt", ResponsesProtocol.Converted, "prompt templates are stored only on OpenAI.");
        }
        if (request.Background == true)
        {
            throw ConversionException.Unsupported("background", ResponsesProtocol.Converted);
        }
        if (request.TopLogprobs is > 0)
        {
            throw ConversionException.Unsupported("top_logprobs", ResponsesProtocol.Converted);
        }
        if (request.Include?.Contains("message.output_text.logprobs") == true)
        {
            throw ConversionException.Unsupported("include", ResponsesProtocol.Converted, "'message.output_text.logprobs' cannot be returned.");
        }
    }

    private static void DecodeItem(ResponseInputItem item, string path, HubRequest hub)
    {
        switch (item.Type ?? "message")
        {
            case "message":
                DecodeMessage(item, path, hub);
                break;
            case "function_call":
                Assistant(hub).Parts.Add(new ToolCallPart(
                    Required(item.CallId, path + ".call_id"), Required(item.Name, path + ".name"), item.Arguments ?? ""));
                break;
            case "function_call_output":
                ToolResults(hub).Parts.Add(new ToolResultPart(Required(item.CallId, path + ".call_id"), null, DecodeOutput(item.Output, path + ".output")));
                break;
            case "reasoning":
                Assistant(hub).Parts.Add(ResponsesReasoning.FromClient(item.Id, ResponsesReasoning.Text(item.Summary, item.Content?.ArrayValue), item.EncryptedContent));
                break;
            case "item_reference":
                throw ConversionException.Unsupported(path, ResponsesProtocol.Converted, "an item_reference names an item stored by OpenAI; send the item itself instead.");
            default:
                throw ConversionException.Unsupported(path + ".type", ResponsesProtocol.Converted, $"'{item.Type}' items belong to OpenAI's built-in tools.");
        }
    }

    private static void DecodeMessage(ResponseInputItem item, string path, HubRequest hub)
    {
        switch (item.Role)
        {
            case "system" or "developer":
                // Instructions for the whole conversation, wherever they sit: every protocol has one system prompt.
                foreach (var (part, partPath) in Parts(item.Content, path + ".content"))
                {
                    hub.System.Add(part.Type == "input_text"
                        ? new TextPart(part.Text ?? "")
                        : throw ConversionException.Unsupported(partPath, ResponsesProtocol.Converted, "system and developer messages carry text only."));
                }
                break;
            case "user":
                var user = new HubMessage(HubRole.User);
                foreach (var (part, partPath) in Parts(item.Content, path + ".content"))
                {
                    user.Parts.Add(DecodeInputPart(part, partPath));
                }
                hub.Messages.Add(user);
                break;
            case "assistant":
                // Earlier output items of one turn (reasoning, message, function calls) make one assistant message.
                var assistant = Assistant(hub);
                foreach (var (part, partPath) in Parts(item.Content, path + ".content"))
                {
                    assistant.Parts.Add(part.Type switch
                    {
                        "output_text" or "input_text" => new TextPart(part.Text ?? ""),
                        "refusal" => new RefusalPart(part.Refusal ?? ""),
                        _ => throw new ConversionException(partPath + ".type", $"An assistant message cannot hold '{part.Type}' content."),
                    });
                }
                break;
            case null:
                throw new ConversionException(path + ".role", $"'{path}.role' is required for a message.");
            default:
                throw new ConversionException(path + ".role", $"'{path}.role' must be user, assistant, system or developer, not '{item.Role}'.");
        }
    }

    /// <summary>Text, images and files from a user message or a function call's output.</summary>
    private static HubPart DecodeInputPart(ResponseContentPart part, string path) => part.Type switch
    {
        "input_text" => new TextPart(part.Text ?? ""),
        "input_image" => new ImagePart(ImageMedia(part, path)),
        "input_file" => new FilePart(FileMedia(part, path)),
        _ => throw new ConversionException(path + ".type", $"A user message or function output cannot hold '{part.Type}' content."),
    };

    private static List<HubPart> DecodeOutput(ResponseContent? output, string path)
    {
        if (output?.StringValue is { } text)
        {
            return [new TextPart(text)];
        }
        var parts = new List<HubPart>();
        foreach (var (part, partPath) in Parts(output, path))
        {
            parts.Add(DecodeInputPart(part, partPath));
        }
        return parts;
    }

    private static HubMedia ImageMedia(ResponseContentPart part, string path)
    {
        if (part.ImageUrl is { } url)
        {
            return HubMedia.FromUrl(url) with { Detail = part.Detail };
        }
        if (part.FileId is { } fileId)
        {
            return new HubMedia(null, FileId: fileId) { Detail = part.Detail };
        }
        throw new ConversionException(path + ".image_url", $"'{path}' needs an image_url or a file_id.");
    }

    private static HubMedia FileMedia(ResponseContentPart part, string path)
    {
        // Documented as a data: URL; bare base64 is read the way Chat Completions' file parts are.
        var media = part.FileData is { } data ? ChatMedia.FromFileData(data, part.Filename)
            : part.FileUrl is { } url ? new HubMedia(null, Url: url)
            : part.FileId is { } fileId ? new HubMedia(null, FileId: fileId)
            : throw new ConversionException(path + ".file_data", $"'{path}' needs file_data, file_url or file_id.");
        return media with { Filename = part.Filename };
    }

    /// <summary>The content parts of a message or output, with their paths; a plain string is one text part.</summary>
    private static IEnumerable<(ResponseContentPart Part, string Path)> Parts(ResponseContent? content, string path)
    {
        if (content is null)
        {
            yield break;
        }
        if (content.StringValue is { } text)
        {
            yield return (new ResponseContentPart { Type = "input_text", Text = text }, path);
            yield break;
        }
        var parts = content.ArrayValue!;
        for (var i = 0; i < parts.Count; i++)
        {
            yield return (parts[i], $"{path}[{i}]");
        }
    }

    private static HubMessage Assistant(HubRequest hub) => Last(hub, HubRole.Assistant);

    /// <summary>Consecutive function outputs answer one turn's calls: one tool message, as Anthropic needs them.</summary>
    private static HubMessage ToolResults(HubRequest hub) => Last(hub, HubRole.Tool);

    private static HubMessage Last(HubRequest hub, HubRole role)
    {
        if (hub.Messages.Count > 0 && hub.Messages[^1].Role == role)
        {
            return hub.Messages[^1];
        }
        var message = new HubMessage(role);
        hub.Messages.Add(message);
        return message;
    }

    private static string Required(string? value, string path) =>
        string.IsNullOrEmpty(value) ? throw new ConversionException(path, $"'{path}' is required.") : value;
}
