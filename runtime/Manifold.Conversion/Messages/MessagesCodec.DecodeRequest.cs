using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

public sealed partial class MessagesCodec
{
    /// <summary>
    /// An Anthropic client's request in hub terms. Only runs when another protocol serves the request, so every
    /// field either converts, is dropped for a reason given below, or is a 400 naming it.
    /// <para>
    /// <c>cache_control</c>, wherever it appears (top level, system, blocks, tools), is dropped: it marks where
    /// Anthropic may cache the prompt, a cost and latency hint with no effect on the answer, and other platforms
    /// cache by their own rules. <c>service_tier</c> picks Anthropic capacity, which another platform does not have.
    /// </para>
    /// </summary>
    public override HubRequest DecodeRequest(CreateMessageRequest request, string? pathModel = null)
    {
        RejectUnknown(request.AdditionalProperties, null);
        if (request.Container is not null)
        {
            throw ConversionException.Unsupported("container", Elsewhere, "containers belong to Anthropic's code execution tool.");
        }
        if (request.InferenceGeo is not null)
        {
            // Where inference runs is a data-residency choice; another platform cannot honour it, and ignoring it silently would be worse than refusing.
            throw ConversionException.Unsupported("inference_geo", Elsewhere, "inference regions are Anthropic's.");
        }
        var hub = new HubRequest
        {
            Model = request.Model,
            Stream = request.Stream == true,
            MaxOutputTokens = request.MaxTokens ?? throw new ConversionException("max_tokens", "'max_tokens' is required."),
            Temperature = request.Temperature,
            TopP = request.TopP,
            TopK = request.TopK,
            // metadata.user_id is the one metadata field: an end-user id for abuse detection, as OpenAI's user is.
            User = request.Metadata?.UserId,
        };
        RejectUnknown(request.Metadata?.AdditionalProperties, "metadata");
        hub.StopSequences.AddRange(request.StopSequences ?? []);
        DecodeInput(hub, request.System, request.Messages, request.Tools, request.ToolChoice, request.Thinking, request.OutputConfig);
        return hub;
    }

    /// <summary>
    /// A <c>count_tokens</c> request in hub terms, for a platform that counts with its own counter: the input of a message,
    /// decoded by the same rules as <see cref="DecodeRequest"/> (it has no limits or sampling to decode).
    /// </summary>
    public HubRequest DecodeCountRequest(CountTokensRequest request)
    {
        RejectUnknown(request.AdditionalProperties, null);
        var hub = new HubRequest { Model = request.Model };
        DecodeInput(hub, request.System, request.Messages, request.Tools, request.ToolChoice, request.Thinking, request.OutputConfig);
        return hub;
    }

    /// <summary>What creating and counting a message share: the system prompt, the conversation, tools, thinking and output format.</summary>
    private static void DecodeInput(
        HubRequest hub, SystemPrompt? system, List<MessageParam> messages, List<Tool>? tools, ToolChoice? toolChoice, ThinkingConfig? thinking, OutputConfig? outputConfig)
    {
        DecodeSystem(system, hub.System);
        DecodeMessages(messages, hub);
        DecodeTools(tools, toolChoice, hub);
        hub.Reasoning = DecodeReasoning(thinking, outputConfig);
        hub.ResponseFormat = DecodeFormat(outputConfig);
        HubConversation.ResolveToolNames(hub);
    }

    internal static void DecodeSystem(SystemPrompt? system, List<HubPart> into)
    {
        if (system?.StringValue is { } text)
        {
            into.Add(new TextPart(text));
            return;
        }
        var blocks = system?.ArrayValue ?? [];
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            var path = $"system[{i}]";
            if (block.Type != "text")
            {
                throw new ConversionException(path + ".type", $"'{path}.type' must be text: the system prompt is text blocks.");
            }
            into.Add(Text(block, path));
        }
    }

    private static void DecodeMessages(List<MessageParam> messages, HubRequest hub)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var path = $"messages[{i}]";
            RejectUnknown(message.AdditionalProperties, path);
            var role = message.Role switch
            {
                "user" => HubRole.User,
                "assistant" => HubRole.Assistant,
                _ => throw new ConversionException(path + ".role", $"'{path}.role' must be user or assistant."),
            };
            var parts = new List<HubPart>();
            if (message.Content.StringValue is { } text)
            {
                parts.Add(new TextPart(text));
            }
            var blocks = message.Content.ArrayValue ?? [];
            for (var j = 0; j < blocks.Count; j++)
            {
                var blockPath = $"{path}.content[{j}]";
                parts.Add(role == HubRole.User ? UserBlock(blocks[j], blockPath) : AssistantBlock(blocks[j], blockPath));
            }
            hub.Messages.Add(new HubMessage(role, parts));
        }
    }

    private static HubPart UserBlock(ContentBlock block, string path) => block.Type switch
    {
        "text" => Text(block, path),
        "image" => Image(block, path),
        "document" => Document(block, path),
        "tool_result" => ToolResult(block, path),
        "thinking" or "redacted_thinking" or "tool_use" =>
            throw new ConversionException(path + ".type", $"'{path}.type' {block.Type} belongs in assistant messages."),
        _ => throw ConversionException.Unsupported(path + ".type", Elsewhere, $"{block.Type} blocks exist only on Anthropic."),
    };

    private static HubPart AssistantBlock(ContentBlock block, string path)
    {
        switch (block.Type)
        {
            case "text":
                return Text(block, path);
            case "thinking":
                Reject(block, path, "signature", "thinking");
                // An empty signature is no signature: Manifold writes one for reasoning a platform did not sign.
                if (string.IsNullOrEmpty(block.Signature))
                {
                    return new ReasoningPart(block.Thinking ?? "");
                }
                // Manifold tagged the signatures of converted answers with their platform; an untagged one is of unknown origin.
                var (signature, origin) = SignatureOrigin.Untag(block.Signature);
                return new ReasoningPart(block.Thinking ?? "", signature) { Origin = origin };
            case "redacted_thinking":
                Reject(block, path, "data");
                return new ReasoningPart("") { Redacted = block.Data ?? "" };
            case "tool_use":
                // caller says who invoked the tool (the model directly, or Anthropic's code execution); in a
                // conversation another platform continues, only the model calls tools, so it carries nothing.
                Reject(block, path, "id", "name", "input", "caller");
                return new ToolCallPart(
                    block.Id ?? throw new ConversionException(path + ".id", $"'{path}.id' is required for tool_use blocks."),
                    block.Name ?? throw new ConversionException(path + ".name", $"'{path}.name' is required for tool_use blocks."),
                    ToolArguments(block.Input));
            case "image" or "document" or "tool_result":
                throw new ConversionException(path + ".type", $"'{path}.type' {block.Type} belongs in user messages.");
            default:
                throw ConversionException.Unsupported(path + ".type", Elsewhere, $"{block.Type} blocks exist only on Anthropic.");
        }
    }

    /// <summary>
    /// A text block. Citations on it are where an earlier answer's text came from: provenance for the reader,
    /// not something the model reads, so they are dropped with no effect on the answer.
    /// </summary>
    private static TextPart Text(ContentBlock block, string path)
    {
        Reject(block, path, "text", "citations");
        if (block.Citations?.ObjectValue is not null)
        {
            throw new ConversionException(path + ".citations", $"'{path}.citations' is a list of citations on text blocks.");
        }
        return new TextPart(block.Text ?? "");
    }

    private static ImagePart Image(ContentBlock block, string path)
    {
        Reject(block, path, "source");
        var source = block.Source?.ObjectValue
            ?? throw new ConversionException(path + ".source", $"'{path}.source' is required for image blocks.");
        RejectUnknown(source.AdditionalProperties, path + ".source");
        return new ImagePart(MessagesMedia.DecodeImage(source, path + ".source"));
    }

    private static FilePart Document(ContentBlock block, string path)
    {
        Reject(block, path, "source", "title", "context", "citations");
        var source = block.Source?.ObjectValue
            ?? throw new ConversionException(path + ".source", $"'{path}.source' is required for document blocks.");
        RejectUnknown(source.AdditionalProperties, path + ".source");
        if (block.Context is not null)
        {
            throw ConversionException.Unsupported(path + ".context", Elsewhere, "documents carry no separate context elsewhere.");
        }
        // Citations change the answer's shape (cited text blocks), which no other platform produces.
        if (block.Citations?.ObjectValue?.Enabled == true)
        {
            throw ConversionException.Unsupported(path + ".citations", Elsewhere, "citations are Anthropic's.");
        }
        return new FilePart(MessagesMedia.DecodeDocument(block, source, path + ".source"));
    }

    private static ToolResultPart ToolResult(ContentBlock block, string path)
    {
        Reject(block, path, "tool_use_id", "content", "is_error");
        var callId = block.ToolUseId ?? throw new ConversionException(path + ".tool_use_id", $"'{path}.tool_use_id' is required for tool_result blocks.");
        var content = new List<HubPart>();
        if (block.Content?.StringValue is { } text)
        {
            content.Add(new TextPart(text));
        }
        else if (block.Content?.ArrayValue is { } blocks)
        {
            for (var i = 0; i < blocks.Count; i++)
            {
                var inner = blocks[i];
                var innerPath = $"{path}.content[{i}]";
                content.Add(inner.Type switch
                {
                    "text" => Text(inner, innerPath),
                    "image" => Image(inner, innerPath),
                    "document" => Document(inner, innerPath),
                    _ => throw ConversionException.Unsupported(innerPath + ".type", Elsewhere, "tool results carry text, images and documents."),
                });
            }
        }
        else if (block.Content?.ObjectValue is not null)
        {
            throw new ConversionException(path + ".content", $"'{path}.content' must be a string or a list of blocks.");
        }
        return new ToolResultPart(callId, null, content, block.IsError == true);
    }

    private static void DecodeTools(List<Tool>? tools, ToolChoice? choice, HubRequest hub)
    {
        for (var i = 0; i < (tools?.Count ?? 0); i++)
        {
            var tool = tools![i];
            var path = $"tools[{i}]";
            if (tool.Type is not (null or "custom"))
            {
                // Server tools (web search, code execution, ...) run inside Anthropic's API.
                throw ConversionException.Unsupported(path, Elsewhere, $"{tool.Type} is a tool Anthropic runs itself.");
            }
            RejectUnknown(tool.AdditionalProperties, path);
            hub.Tools.Add(new HubTool(tool.Name, tool.Description, tool.InputSchema, tool.Strict));
        }
        if (choice is null)
        {
            return;
        }
        RejectUnknown(choice.AdditionalProperties, "tool_choice");
        hub.ToolChoice = choice.Type switch
        {
            "auto" => HubToolChoice.Auto,
            "any" => HubToolChoice.Required,
            "none" => HubToolChoice.None,
            "tool" => new HubToolChoice(HubToolChoiceKind.Function,
                choice.Name ?? throw new ConversionException("tool_choice.name", "'tool_choice.name' is required when tool_choice.type is tool.")),
            _ => throw new ConversionException("tool_choice.type", "'tool_choice.type' must be auto, any, tool or none."),
        };
        if (choice.DisableParallelToolUse == true)
        {
            hub.ParallelToolCalls = false;
        }
    }

    private static HubReasoning? DecodeReasoning(ThinkingConfig? thinking, OutputConfig? output)
    {
        RejectUnknown(thinking?.AdditionalProperties, "thinking");
        RejectUnknown(output?.AdditionalProperties, "output_config");
        return MessagesThinking.Decode(thinking, output?.Effort, "thinking");
    }

    private static HubResponseFormat? DecodeFormat(OutputConfig? output)
    {
        if (output?.Format is not { } format)
        {
            return null;
        }
        RejectUnknown(format.AdditionalProperties, "output_config.format");
        return format.Type == "json_schema"
            ? new HubResponseFormat(HubResponseFormatKind.JsonSchema, Schema: format.Schema)
            : throw new ConversionException("output_config.format.type", "'output_config.format.type' must be json_schema.");
    }

    /// <summary>
    /// Throws for fields this block type does not have, or that Manifold does not model. <c>type</c> and
    /// <c>cache_control</c> (see <see cref="DecodeRequest"/>) are always allowed.
    /// </summary>
    private static void Reject(ContentBlock block, string path, params string[] allowed)
    {
        RejectUnknown(block.AdditionalProperties, path);
        Check(block.Text is not null, "text");
        Check(block.Citations is not null, "citations");
        Check(block.Source is not null, "source");
        Check(block.Title is not null, "title");
        Check(block.Context is not null, "context");
        Check(block.Id is not null, "id");
        Check(block.Name is not null, "name");
        Check(block.Input is not null, "input");
        Check(block.Caller is not null, "caller");
        Check(block.ToolUseId is not null, "tool_use_id");
        Check(block.Content is not null, "content");
        Check(block.IsError is not null, "is_error");
        Check(block.Thinking is not null, "thinking");
        Check(block.Signature is not null, "signature");
        Check(block.Data is not null, "data");

        void Check(bool present, string field)
        {
            if (present && Array.IndexOf(allowed, field) < 0)
            {
                throw ConversionException.Unsupported($"{path}.{field}", Elsewhere, $"{block.Type} blocks have no {field} that converts.");
            }
        }
    }
}
