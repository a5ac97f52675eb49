using System.Text;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Chat;

public sealed partial class ChatCodec
{
    /// <summary>
    /// The request for a Chat Completions platform: OpenAI itself or any compatible service (DeepSeek, vLLM,
    /// other gateways), so it sticks to the fields they share and to OpenAI's current names.
    /// </summary>
    public override CreateChatCompletionRequest EncodeRequest(HubRequest request)
    {
        var messages = new List<ChatCompletionRequestMessage>(request.Messages.Count + 1);
        foreach (var part in request.System)
        {
            // One system message per part keeps each text exact, and plain-string content is what every
            // compatible service reads.
            messages.Add(new ChatCompletionRequestMessage
            {
                Role = "system",
                Content = part is TextPart text ? text.Text : throw ConversionException.Unsupported("system", DisplayName, "the system prompt carries only text."),
            });
        }
        for (var i = 0; i < request.Messages.Count; i++)
        {
            EncodeMessage(request.Messages[i], $"messages[{i}]", messages);
        }

        var chat = new CreateChatCompletionRequest { Model = request.Model, Messages = messages };
        EncodeTools(request, chat);
        EncodeGeneration(request, chat);
        if (request.Stream)
        {
            chat.Stream = true;
            // Always asked for, so a converted stream can report usage whatever its caller's protocol.
            chat.StreamOptions = new ChatCompletionStreamOptions { IncludeUsage = true };
        }
        return chat;
    }

    private static void EncodeMessage(HubMessage message, string path, List<ChatCompletionRequestMessage> messages)
    {
        if (message.Role == HubRole.Assistant)
        {
            messages.Add(EncodeAssistant(message, path));
            return;
        }
        // Tool results first: Chat wants them right after the assistant turn that made the calls.
        List<HubPart>? rest = null;
        for (var j = 0; j < message.Parts.Count; j++)
        {
            if (message.Parts[j] is ToolResultPart result)
            {
                messages.Add(new ChatCompletionRequestMessage
                {
                    Role = "tool",
                    ToolCallId = result.CallId,
                    // Chat has no error flag: the result's text (which says what failed) is what the model reads.
                    Content = ToolResultText(result, $"{path}.content[{j}]"),
                });
            }
            else if (message.Role == HubRole.Tool)
            {
                throw new ConversionException($"{path}.content[{j}]", $"'{path}.content[{j}]' is not a tool result in a tool message.");
            }
            else
            {
                (rest ??= []).Add(message.Parts[j]);
            }
        }
        if (rest is not null)
        {
            messages.Add(new ChatCompletionRequestMessage { Role = "user", Content = EncodeUserContent(rest, path) });
        }
    }

    private static string ToolResultText(ToolResultPart result, string path)
    {
        foreach (var part in result.Content)
        {
            if (part is not TextPart)
            {
                throw ConversionException.Unsupported(path, DisplayName, "tool results carry only text.");
            }
        }
        return result.JoinedText();
    }

    private static ChatCompletionRequestMessageContent EncodeUserContent(List<HubPart> parts, string path)
    {
        if (parts is [TextPart only])
        {
            return only.Text;
        }
        var content = new List<ChatCompletionContentPart>(parts.Count);
        for (var j = 0; j < parts.Count; j++)
        {
            var partPath = $"{path}.content[{j}]";
            content.Add(parts[j] switch
            {
                TextPart text => new ChatCompletionContentPart { Type = "text", Text = text.Text },
                ImagePart { Media.FileId: not null } =>
                    throw ConversionException.Unsupported(partPath, DisplayName, "images are sent by URL or data, not by file id."),
                ImagePart image => new ChatCompletionContentPart
                {
                    Type = "image_url",
                    ImageUrl = new ChatCompletionContentPartImageUrl { Url = image.Media.AsUrl()!, Detail = image.Media.Detail },
                },
                AudioPart { Media: { Data: { } data } media } when ChatMedia.AudioFormat(media.MediaType) is { } format => new ChatCompletionContentPart
                {
                    Type = "input_audio",
                    InputAudio = new ChatCompletionContentPartInputAudio { Data = data, Format = format },
                },
                AudioPart => throw ConversionException.Unsupported(partPath, DisplayName, "audio is sent as base64 wav or mp3."),
                FilePart { Media: { FileId: { } fileId } media } => new ChatCompletionContentPart
                {
                    Type = "file",
                    File = new ChatCompletionContentPartFile { FileId = fileId, Filename = media.Filename },
                },
                FilePart { Media: { Data: not null } media } => new ChatCompletionContentPart
                {
                    Type = "file",
                    File = new ChatCompletionContentPartFile { FileData = media.AsUrl(), Filename = ChatMedia.FilenameFor(media) },
                },
                FilePart => throw ConversionException.Unsupported(partPath, DisplayName, "files are sent as base64 data or a file id, not by URL."),
                _ => throw ConversionException.Unsupported(partPath, DisplayName, "user messages carry text, images, audio and files."),
            });
        }
        return content;
    }

    private static ChatCompletionRequestMessage EncodeAssistant(HubMessage message, string path)
    {
        StringBuilder? text = null;
        StringBuilder? refusal = null;
        List<ChatCompletionMessageToolCall>? calls = null;
        for (var j = 0; j < message.Parts.Count; j++)
        {
            switch (message.Parts[j])
            {
                case TextPart part:
                    (text ??= new()).Append(part.Text);
                    break;
                case RefusalPart part:
                    (refusal ??= new()).Append(part.Text);
                    break;
                case ToolCallPart call:
                    (calls ??= []).Add(new ChatCompletionMessageToolCall
                    {
                        Id = call.Id,
                        Type = "function",
                        Function = new ChatCompletionMessageToolCallFunction { Name = call.Name, Arguments = call.Arguments.Length == 0 ? "{}" : call.Arguments },
                    });
                    break;
                case ReasoningPart:
                    break;
                default:
                    throw ConversionException.Unsupported($"{path}.content[{j}]", DisplayName, "assistant messages carry text, refusals and tool calls.");
            }
        }
        // Reasoning goes back as reasoning_content, which DeepSeek requires on tool-call turns in thinking mode
        // and other services ignore. Signatures and redacted thinking are dropped: a signature only verifies on
        // the platform that issued it, and no Chat Completions platform issues or reads one.
        var (reasoning, _) = ChatReasoning.Encode(message.Parts, showText: true, withToken: false);
        return new ChatCompletionRequestMessage
        {
            Role = "assistant",
            // Content may be left out only when the turn made calls; an empty string is what OpenAI accepts otherwise.
            Content = text is not null ? new ChatCompletionRequestMessageContent(text.ToString())
                : calls is null ? new ChatCompletionRequestMessageContent("") : null,
            Refusal = refusal?.ToString(),
            ToolCalls = calls,
            ReasoningContent = reasoning,
        };
    }

    private static void EncodeTools(HubRequest request, CreateChatCompletionRequest chat)
    {
        if (request.Tools.Count > 0)
        {
            chat.Tools = request.Tools.ConvertAll(static tool => new ChatCompletionTool
            {
                Type = "function",
                Function = new ChatCompletionToolFunction
                {
                    Name = tool.Name,
                    Description = tool.Description,
                    Parameters = tool.Parameters,
                    Strict = tool.Strict,
                },
            });
        }
        chat.ToolChoice = request.ToolChoice switch
        {
            null => null,
            { Kind: HubToolChoiceKind.Auto } => "auto",
            { Kind: HubToolChoiceKind.None } => "none",
            { Kind: HubToolChoiceKind.Required } => "required",
            { Name: var name } => new ChatCompletionNamedToolChoice
            {
                Type = "function",
                Function = new ChatCompletionNamedToolChoiceFunction { Name = name! },
            },
        };
        chat.ParallelToolCalls = request.ParallelToolCalls;
    }

    private static void EncodeGeneration(HubRequest request, CreateChatCompletionRequest chat)
    {
        // Chat says reasoning by effort only; a budget becomes the smallest effort that covers it. Whether the
        // reasoning is returned (Gemini includeThoughts, Responses summary) is not Chat's to ask: services that
        // return it (DeepSeek) always do, and OpenAI never does on this API.
        if (request.Reasoning is { } reasoning)
        {
            chat.ReasoningEffort = ReasoningBudgets.EffortOf(reasoning);
        }
        // max_completion_tokens counts reasoning too, as the hub limit does; OpenAI's reasoning models refuse max_tokens.
        chat.MaxCompletionTokens = request.MaxOutputTokens;
        chat.Temperature = request.Temperature;
        chat.TopP = request.TopP;
        if (request.TopK is not null)
        {
            throw ConversionException.Unsupported("top_k", DisplayName);
        }
        if (request.StopSequences.Count > 0)
        {
            chat.Stop = new List<string>(request.StopSequences);
        }
        chat.PresencePenalty = request.PresencePenalty;
        chat.FrequencyPenalty = request.FrequencyPenalty;
        chat.Seed = request.Seed;
        if (request.CandidateCount > 1)
        {
            throw ConversionException.Unsupported("candidate_count", DisplayName, "a converted answer has one choice.");
        }
        chat.N = request.CandidateCount;
        chat.ResponseFormat = request.ResponseFormat switch
        {
            null => null,
            { Kind: HubResponseFormatKind.Text } => new ChatCompletionResponseFormat { Type = "text" },
            { Kind: HubResponseFormatKind.JsonObject } => new ChatCompletionResponseFormat { Type = "json_object" },
            { } format => new ChatCompletionResponseFormat
            {
                Type = "json_schema",
                // OpenAI requires a name; it only labels the schema.
                JsonSchema = new ChatCompletionResponseFormatJsonSchema { Name = format.Name ?? "response", Schema = format.Schema, Strict = format.Strict },
            },
        };
        chat.User = request.User;
        // Metadata is left out: on OpenAI it only tags stored completions (and needs store), and compatible
        // services do not take it; the model never sees it.
    }
}
