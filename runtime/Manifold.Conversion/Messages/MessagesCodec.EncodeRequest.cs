using System.Text.Json;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

public sealed partial class MessagesCodec
{
    // A tool without parameters still needs an object schema: Anthropic requires input_schema.
    private static readonly JsonElement EmptyObjectSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    /// <summary>
    /// The request to send an Anthropic platform. Throws <see cref="ConversionException"/> for what Anthropic
    /// cannot express: more than one answer, penalties, seeds, audio, a bare JSON mode without schema.
    /// <para>
    /// Dropped, with no effect on the answer: OpenAI <c>metadata</c> (tags for stored completions, which
    /// Anthropic does not store) and Responses' <c>reasoning.summary</c> (Claude returns its thinking as it is).
    /// </para>
    /// </summary>
    public override CreateMessageRequest EncodeRequest(HubRequest request)
    {
        if (request.CandidateCount is > 1)
        {
            throw ConversionException.Unsupported("n", DisplayName, "Anthropic answers with one message.");
        }
        if (request.PresencePenalty is { } presence && presence != 0)
        {
            throw ConversionException.Unsupported("presence_penalty", DisplayName);
        }
        if (request.FrequencyPenalty is { } frequency && frequency != 0)
        {
            throw ConversionException.Unsupported("frequency_penalty", DisplayName);
        }
        if (request.Seed is not null)
        {
            throw ConversionException.Unsupported("seed", DisplayName, "Anthropic has no deterministic sampling.");
        }

        var (thinking, maxTokens) = MessagesThinking.Encode(request.Reasoning, request.MaxOutputTokens, "max_tokens");
        var anthropic = new CreateMessageRequest
        {
            Model = request.Model,
            MaxTokens = maxTokens,
            Messages = EncodeMessages(request.Messages),
            System = EncodeSystem(request.System),
            Thinking = thinking,
            Temperature = request.Temperature,
            TopP = request.TopP,
            TopK = request.TopK,
            StopSequences = request.StopSequences.Count > 0 ? [.. request.StopSequences] : null,
            Metadata = request.User is { } user ? new Metadata { UserId = user } : null,
            OutputConfig = EncodeFormat(request.ResponseFormat),
        };
        EncodeTools(request, anthropic);
        return anthropic;
    }

    private static SystemPrompt? EncodeSystem(List<HubPart> system)
    {
        if (system.Count == 0)
        {
            return null;
        }
        var blocks = new List<ContentBlock>(system.Count);
        foreach (var part in system)
        {
            var text = part as TextPart ?? throw ConversionException.Unsupported("system", DisplayName, "the system prompt carries only text.");
            if (text.Text.Length > 0)
            {
                blocks.Add(new ContentBlock { Type = "text", Text = text.Text });
            }
        }
        return blocks switch
        {
            [] => null,
            [var single] => single.Text!,
            _ => blocks,
        };
    }

    /// <summary>
    /// The conversation as Anthropic wants it: tool results inside user messages, first in them. Consecutive
    /// tool and user messages (OpenAI sends one tool message per result, then maybe the user's next words)
    /// become one user message, as Anthropic would combine them anyway.
    /// </summary>
    private static List<MessageParam> EncodeMessages(List<HubMessage> messages)
    {
        var result = new List<MessageParam>(messages.Count);
        List<ContentBlock>? results = null;
        List<ContentBlock>? userContent = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var path = $"messages[{i}]";
            if (message.Role == HubRole.Assistant)
            {
                Flush();
                var blocks = AssistantBlocks(message.Parts, path);
                if (blocks.Count > 0)
                {
                    result.Add(new MessageParam { Role = "assistant", Content = Content(blocks) });
                }
                continue;
            }
            for (var j = 0; j < message.Parts.Count; j++)
            {
                var partPath = $"{path}.content[{j}]";
                if (message.Parts[j] is ToolResultPart toolResult)
                {
                    (results ??= []).Add(ToolResultBlock(toolResult, partPath));
                }
                else if (UserBlock(message.Parts[j], partPath) is { } block)
                {
                    (userContent ??= []).Add(block);
                }
            }
        }
        Flush();
        return result;

        void Flush()
        {
            if (results is null && userContent is null)
            {
                return;
            }
            var blocks = new List<ContentBlock>();
            blocks.AddRange(results ?? []);
            blocks.AddRange(userContent ?? []);
            result.Add(new MessageParam { Role = "user", Content = Content(blocks) });
            results = userContent = null;
        }
    }

    /// <summary>A lone text block travels as a string, as clients usually write it.</summary>
    private static MessageContent Content(List<ContentBlock> blocks) =>
        blocks is [{ Type: "text", Text: { } text, Citations: null }] ? text : blocks;

    private static ContentBlock? UserBlock(HubPart part, string path) => part switch
    {
        // Anthropic rejects empty text blocks; an empty part says nothing.
        TextPart { Text.Length: 0 } => null,
        TextPart text => new ContentBlock { Type = "text", Text = text.Text },
        ImagePart image => MessagesMedia.EncodeImage(image.Media, path),
        FilePart file => MessagesMedia.EncodeDocument(file.Media, path),
        AudioPart => throw ConversionException.Unsupported(path, DisplayName, "Claude does not take audio."),
        _ => throw ConversionException.Unsupported(path, DisplayName, "user messages carry text, images, documents and tool results."),
    };

    private static ContentBlock ToolResultBlock(ToolResultPart result, string path)
    {
        var block = new ContentBlock { Type = "tool_result", ToolUseId = result.CallId, IsError = result.IsError ? true : null };
        if (result.Content.All(static p => p is TextPart))
        {
            var text = result.JoinedText();
            if (text.Length > 0)
            {
                block.Content = text;
            }
            return block;
        }
        var blocks = new List<ContentBlock>(result.Content.Count);
        for (var i = 0; i < result.Content.Count; i++)
        {
            var innerPath = $"{path}.content[{i}]";
            if (result.Content[i] is ToolResultPart)
            {
                throw new ConversionException(innerPath, $"'{innerPath}' is a tool result inside a tool result.");
            }
            if (UserBlock(result.Content[i], innerPath) is { } inner)
            {
                blocks.Add(inner);
            }
        }
        block.Content = blocks;
        return block;
    }

    private static List<ContentBlock> AssistantBlocks(List<HubPart> parts, string path)
    {
        var blocks = new List<ContentBlock>(parts.Count);
        for (var j = 0; j < parts.Count; j++)
        {
            var partPath = $"{path}.content[{j}]";
            switch (parts[j])
            {
                case TextPart { Text.Length: 0 }:
                    break;
                case TextPart text:
                    blocks.Add(new ContentBlock { Type = "text", Text = text.Text });
                    break;
                case RefusalPart { Text.Length: > 0 } refusal:
                    // Anthropic has no refusal block: a refusal is what the model said, so it is text.
                    blocks.Add(new ContentBlock { Type = "text", Text = refusal.Text });
                    break;
                case ReasoningPart { Redacted: { } data }:
                    blocks.Add(new ContentBlock { Type = "redacted_thinking", Data = data });
                    break;
                case ReasoningPart { Signature: { } signature, Id: null } reasoning when SignatureOrigin.Accepts(SignatureOrigin.Anthropic, reasoning.Origin):
                    blocks.Add(new ContentBlock { Type = "thinking", Thinking = reasoning.Text, Signature = signature });
                    break;
                case ReasoningPart:
                    // Anthropic accepts back only thinking it signed, and answers 400 to any other signature. Reasoning
                    // without a signature (DeepSeek's reasoning_content, unsigned Gemini thoughts: never a block with an
                    // empty signature), with another platform's signature (its origin says so) or with another
                    // platform's token (a Responses item, which has an id) cannot be verified. The whole part goes,
                    // text included: thinking text is only valid in a signed block, and Claude does not read earlier
                    // turns' thinking anyway. (With thinking on, Anthropic still wants the turn of a pending tool call
                    // to start with its own thinking: history from another platform cannot give it one.)
                    break;
                case ToolCallPart call:
                    blocks.Add(new ContentBlock { Type = "tool_use", Id = call.Id, Name = call.Name, Input = ToolInput(call.Arguments, partPath + ".arguments") });
                    break;
                case RefusalPart:
                    break;
                default:
                    throw ConversionException.Unsupported(partPath, DisplayName, "assistant messages carry text, thinking and tool calls.");
            }
        }
        return blocks;
    }

    private static void EncodeTools(HubRequest request, CreateMessageRequest anthropic)
    {
        if (request.Tools.Count > 0)
        {
            anthropic.Tools = [.. request.Tools.Select(static t => new Tool
            {
                Name = t.Name,
                Description = t.Description,
                InputSchema = t.Parameters ?? EmptyObjectSchema,
                Strict = t.Strict,
            })];
        }
        var choice = request.ToolChoice;
        var single = request.ParallelToolCalls == false;
        if (choice is null && !(single && request.Tools.Count > 0))
        {
            return;
        }
        anthropic.ToolChoice = (choice?.Kind ?? HubToolChoiceKind.Auto) switch
        {
            HubToolChoiceKind.None => new ToolChoice { Type = "none" },
            HubToolChoiceKind.Required => new ToolChoice { Type = "any" },
            HubToolChoiceKind.Function => new ToolChoice { Type = "tool", Name = choice!.Name },
            _ => new ToolChoice { Type = "auto" },
        };
        // One call per turn (parallel_tool_calls: false); with none there is no call to limit.
        if (single && anthropic.ToolChoice.Type != "none")
        {
            anthropic.ToolChoice.DisableParallelToolUse = true;
        }
    }

    private static OutputConfig? EncodeFormat(HubResponseFormat? format) => format?.Kind switch
    {
        null or HubResponseFormatKind.Text => null,
        HubResponseFormatKind.JsonSchema => new OutputConfig { Format = new OutputFormat { Type = "json_schema", Schema = format.Schema } },
        _ => throw ConversionException.Unsupported("response_format", DisplayName, "Anthropic takes a JSON schema (json_schema), not a bare JSON mode."),
    };
}
