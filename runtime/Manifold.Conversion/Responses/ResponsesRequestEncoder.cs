using System.Text;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>The request an OpenAI platform gets, through its Responses API, for a hub request.</summary>
internal static class ResponsesRequestEncoder
{
    private const string Target = ResponsesProtocol.Name;

    public static CreateResponseRequest Encode(HubRequest hub)
    {
        RejectInexpressible(hub);
        var request = new CreateResponseRequest
        {
            Model = hub.Model,
            Stream = hub.Stream ? true : null,
            Instructions = Instructions(hub.System),
            Input = new ResponseInput(Input(hub.Messages)),
            ParallelToolCalls = hub.ParallelToolCalls,
            MaxOutputTokens = hub.MaxOutputTokens,
            Temperature = hub.Temperature,
            TopP = hub.TopP,
            Metadata = hub.Metadata,
            User = hub.User,
            Reasoning = ResponsesFormats.EncodeReasoning(hub.Reasoning),
            Text = hub.ResponseFormat is null ? null : ResponsesFormats.EncodeText(hub.ResponseFormat),
            ToolChoice = hub.ToolChoice is null ? null : ResponsesTools.EncodeChoice(hub.ToolChoice),
        };
        if (hub.Tools.Count > 0)
        {
            request.Tools = ResponsesTools.Encode(hub.Tools);
        }
        if (hub.Reasoning is { Enabled: true })
        {
            // The signature a client of another protocol keeps to continue the conversation; without it, OpenAI
            // continues from its reasoning only while it stores the response (and never under zero data retention).
            // Only when reasoning was asked for: models that do not reason reject the include.
            request.Include = ["reasoning.encrypted_content"];
        }
        return request;
    }

    private static void RejectInexpressible(HubRequest hub)
    {
        if (hub.StopSequences.Count > 0)
        {
            throw ConversionException.Unsupported("stop", Target);
        }
        if (hub.TopK is not null)
        {
            throw ConversionException.Unsupported("top_k", Target);
        }
        if (hub.PresencePenalty is not null)
        {
            throw ConversionException.Unsupported("presence_penalty", Target);
        }
        if (hub.FrequencyPenalty is not null)
        {
            throw ConversionException.Unsupported("frequency_penalty", Target);
        }
        if (hub.Seed is not null)
        {
            throw ConversionException.Unsupported("seed", Target);
        }
        if (hub.CandidateCount is > 1)
        {
            throw ConversionException.Unsupported("n", Target, "a response has one answer.");
        }
    }

    private static string? Instructions(List<HubPart> system)
    {
        if (system.Count == 0)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var part in system)
        {
            if (part is not TextPart { Text: var value })
            {
                throw ConversionException.Unsupported("system", Target, "instructions are text only.");
            }
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }
            text.Append(value);
        }
        return text.ToString();
    }

    private static List<ResponseInputItem> Input(List<HubMessage> messages)
    {
        var items = new List<ResponseInputItem>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role == HubRole.Assistant)
            {
                EncodeAssistant(message, items);
            }
            else
            {
                EncodeUserOrTool(message, $"messages[{i}]", items);
            }
        }
        return items;
    }

    /// <summary>User content becomes a user message; tool results (in user or tool messages) become function_call_output items, in order.</summary>
    private static void EncodeUserOrTool(HubMessage message, string path, List<ResponseInputItem> items)
    {
        List<ResponseContentPart>? content = null;
        for (var j = 0; j < message.Parts.Count; j++)
        {
            var part = message.Parts[j];
            if (part is ToolResultPart result)
            {
                Flush(ref content, items);
                items.Add(new ResponseInputItem
                {
                    Type = "function_call_output",
                    CallId = result.CallId,
                    // The API has no error flag: the result's text says what went wrong, which is what the model reads.
                    Output = ToolOutput(result, $"{path}.content[{j}]"),
                });
            }
            else
            {
                (content ??= []).Add(InputPart(part, $"{path}.content[{j}]"));
            }
        }
        Flush(ref content, items);

        static void Flush(ref List<ResponseContentPart>? content, List<ResponseInputItem> items)
        {
            if (content is not null)
            {
                items.Add(new ResponseInputItem { Type = "message", Role = "user", Content = new ResponseContent(content) });
                content = null;
            }
        }
    }

    private static ResponseContent ToolOutput(ToolResultPart result, string path)
    {
        if (result.Content.All(static p => p is TextPart))
        {
            return result.JoinedText();
        }
        return new ResponseContent(result.Content.Select((part, k) => InputPart(part, $"{path}.content[{k}]")).ToList());
    }

    private static ResponseContentPart InputPart(HubPart part, string path) => part switch
    {
        TextPart text => new ResponseContentPart { Type = "input_text", Text = text.Text },
        ImagePart { Media: var media } => new ResponseContentPart
        {
            Type = "input_image",
            ImageUrl = media.FileId is null ? media.AsUrl() : null,
            FileId = media.FileId,
            Detail = media.Detail ?? "auto",
        },
        FilePart { Media: var media } => new ResponseContentPart
        {
            Type = "input_file",
            // file_data is a data: URL, and OpenAI wants a file name with it.
            FileData = media.Data is null ? null : media.AsUrl(),
            FileUrl = media.Url,
            FileId = media.FileId,
            Filename = media.Data is null ? media.Filename : ChatMedia.FilenameFor(media),
        },
        AudioPart => throw ConversionException.Unsupported(path, Target, "the Responses API takes no audio input."),
        _ => throw ConversionException.Unsupported(path, Target, $"{part.GetType().Name} cannot be sent as input."),
    };

    /// <summary>An assistant turn as the items OpenAI produced it as: reasoning, message, function calls, in order.</summary>
    private static void EncodeAssistant(HubMessage message, List<ResponseInputItem> items)
    {
        List<ResponseContentPart>? content = null;
        foreach (var part in message.Parts)
        {
            switch (part)
            {
                case TextPart text:
                    (content ??= []).Add(new ResponseContentPart { Type = "output_text", Text = text.Text });
                    break;
                case RefusalPart refusal:
                    (content ??= []).Add(new ResponseContentPart { Type = "refusal", Refusal = refusal.Text });
                    break;
                case ReasoningPart reasoning:
                    Flush(ref content, items);
                    // Other platforms' thinking, or reasoning text a client wrote, is nothing OpenAI can continue
                    // from; leaving it out is what OpenAI's own clients do with reasoning they do not have.
                    if (ResponsesReasoning.ToPlatform(reasoning, out var id, out var encrypted))
                    {
                        items.Add(new ResponseInputItem
                        {
                            Type = "reasoning",
                            Id = id,
                            Summary = reasoning.Text.Length == 0 ? [] : [new ResponseContentPart { Type = "summary_text", Text = reasoning.Text }],
                            EncryptedContent = encrypted,
                        });
                    }
                    break;
                case ToolCallPart call:
                    Flush(ref content, items);
                    items.Add(new ResponseInputItem { Type = "function_call", CallId = call.Id, Name = call.Name, Arguments = call.Arguments });
                    break;
                default:
                    throw ConversionException.Unsupported("messages.content", Target, $"an assistant message cannot hold {part.GetType().Name}.");
            }
        }
        Flush(ref content, items);

        static void Flush(ref List<ResponseContentPart>? content, List<ResponseInputItem> items)
        {
            if (content is not null)
            {
                items.Add(new ResponseInputItem { Type = "message", Role = "assistant", Content = new ResponseContent(content) });
                content = null;
            }
        }
    }
}
