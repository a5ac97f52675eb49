using System.Text.Json;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Chat;

public sealed partial class ChatCodec
{
    /// <summary>
    /// A Chat client's request in hub terms. Only runs when another protocol serves the request, so every
    /// field either converts, is dropped for a reason given below, or is a 400 naming it.
    /// </summary>
    public override HubRequest DecodeRequest(CreateChatCompletionRequest request, string? pathModel = null)
    {
        RejectUnknown(request.AdditionalProperties, null);
        var hub = new HubRequest
        {
            Model = request.Model,
            Stream = request.Stream == true,
            // OpenAI streams usage only when asked; a converted stream reports it on the same terms.
            StreamUsage = request.StreamOptions?.IncludeUsage == true,
        };
        DecodeMessages(request.Messages, hub);
        DecodeTools(request, hub);
        DecodeGeneration(request, hub);
        HubConversation.ResolveToolNames(hub);
        return hub;
    }

    private static void DecodeMessages(List<ChatCompletionRequestMessage> messages, HubRequest hub)
    {
        // The legacy functions API has no call ids: calls get made-up ones, and a function message answers
        // the oldest unanswered call of its name.
        Dictionary<string, Queue<string>>? legacyCalls = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var path = $"messages[{i}]";
            // annotations (web-search citations) come back when clients echo an answer's message; they are
            // output metadata, not conversation.
            RejectUnknown(message.AdditionalProperties, path, "annotations");
            if (message.Name is not null && message.Role != "function")
            {
                throw ConversionException.Unsupported(path + ".name", Elsewhere, "participant names have no equivalent.");
            }
            switch (message.Role)
            {
                case "system" or "developer":
                    // developer is what OpenAI calls system for its reasoning models; every other platform has
                    // one system prompt, so both become it. A system message mid-conversation joins it too.
                    hub.System.AddRange(TextOnly(message.Content, path));
                    break;
                case "user":
                    hub.Messages.Add(new HubMessage(HubRole.User, UserContent(message.Content, path)));
                    break;
                case "assistant":
                    hub.Messages.Add(new HubMessage(HubRole.Assistant, AssistantMessage(message, i, path, ref legacyCalls)));
                    break;
                case "tool":
                    var callId = message.ToolCallId
                        ?? throw new ConversionException(path + ".tool_call_id", $"'{path}.tool_call_id' is required for tool messages.");
                    AddToolResult(hub, new ToolResultPart(callId, null, TextOnly(message.Content, path)));
                    break;
                case "function":
                    var name = message.Name
                        ?? throw new ConversionException(path + ".name", $"'{path}.name' is required for function messages.");
                    if (legacyCalls?.GetValueOrDefault(name) is not { Count: > 0 } pending)
                    {
                        throw new ConversionException(path, $"'{path}' answers no earlier function_call named '{name}'.");
                    }
                    AddToolResult(hub, new ToolResultPart(pending.Dequeue(), name, TextOnly(message.Content, path)));
                    break;
                default:
                    throw new ConversionException(path + ".role", $"'{path}.role' must be system, developer, user, assistant, tool or function.");
            }
        }
    }

    /// <summary>Consecutive tool messages answer one assistant turn: they become one hub tool message.</summary>
    private static void AddToolResult(HubRequest hub, ToolResultPart result)
    {
        if (hub.Messages is [.., { Role: HubRole.Tool } last])
        {
            last.Parts.Add(result);
            return;
        }
        hub.Messages.Add(new HubMessage(HubRole.Tool, [result]));
    }

    private static List<HubPart> AssistantMessage(
        ChatCompletionRequestMessage message, int index, string path, ref Dictionary<string, Queue<string>>? legacyCalls)
    {
        if (message.Audio is not null)
        {
            throw ConversionException.Unsupported(path + ".audio", Elsewhere, "audio answers exist only on OpenAI.");
        }
        var content = new List<HubPart>();
        if (message.Content?.StringValue is { Length: > 0 } text)
        {
            content.Add(new TextPart(text));
        }
        else if (message.Content?.ArrayValue is { } array)
        {
            for (var j = 0; j < array.Count; j++)
            {
                var part = array[j];
                RejectUnknown(part.AdditionalProperties, $"{path}.content[{j}]");
                content.Add(part.Type switch
                {
                    "text" => new TextPart(part.Text ?? ""),
                    "refusal" => new RefusalPart(part.Refusal ?? ""),
                    _ => throw new ConversionException($"{path}.content[{j}].type", $"'{path}.content[{j}].type' must be text or refusal in assistant messages."),
                });
            }
        }
        if (message.Refusal is { Length: > 0 } refusal)
        {
            content.Add(new RefusalPart(refusal));
        }

        var calls = new List<ToolCallPart>();
        for (var k = 0; k < (message.ToolCalls?.Count ?? 0); k++)
        {
            var call = message.ToolCalls![k];
            if (call.Type != "function" || call.Function is null)
            {
                throw ConversionException.Unsupported($"{path}.tool_calls[{k}]", Elsewhere, "only function tool calls convert.");
            }
            calls.Add(new ToolCallPart(call.Id, call.Function.Name, call.Function.Arguments));
        }
        if (message.FunctionCall is { } legacy)
        {
            var id = $"call_{index}";
            legacyCalls ??= new(StringComparer.Ordinal);
            if (!legacyCalls.TryGetValue(legacy.Name, out var queue))
            {
                legacyCalls[legacy.Name] = queue = new Queue<string>();
            }
            queue.Enqueue(id);
            calls.Add(new ToolCallPart(id, legacy.Name, legacy.Arguments));
        }
        return AssistantParts(message.ReasoningContent, message.ReasoningSignature, path, content, calls);
    }

    private static List<HubPart> UserContent(ChatCompletionRequestMessageContent? content, string path)
    {
        if (content?.ArrayValue is not { } array)
        {
            return [new TextPart(content?.StringValue ?? "")];
        }
        var parts = new List<HubPart>(array.Count);
        for (var j = 0; j < array.Count; j++)
        {
            var part = array[j];
            var partPath = $"{path}.content[{j}]";
            RejectUnknown(part.AdditionalProperties, partPath);
            parts.Add(part.Type switch
            {
                "text" => new TextPart(part.Text ?? ""),
                "image_url" when part.ImageUrl is { } image =>
                    new ImagePart(HubMedia.FromUrl(image.Url) with { Detail = image.Detail }),
                "input_audio" when part.InputAudio is { } audio =>
                    new AudioPart(new HubMedia(ChatMedia.AudioMediaType(audio.Format), Data: audio.Data)),
                "file" when part.File is { FileId: { } fileId } file =>
                    new FilePart(new HubMedia(null, FileId: fileId) { Filename = file.Filename }),
                "file" when part.File is { FileData: { } data } file =>
                    new FilePart(ChatMedia.FromFileData(data, file.Filename) with { Filename = file.Filename }),
                "text" or "image_url" or "input_audio" or "file" =>
                    throw new ConversionException(partPath, $"'{partPath}' lacks the object its type names."),
                _ => throw new ConversionException(partPath + ".type", $"'{partPath}.type' must be text, image_url, input_audio or file in user messages."),
            });
        }
        return parts;
    }

    /// <summary>System, developer and tool messages: a string or text parts.</summary>
    private static List<HubPart> TextOnly(ChatCompletionRequestMessageContent? content, string path)
    {
        if (content?.ArrayValue is not { } array)
        {
            return [new TextPart(content?.StringValue ?? "")];
        }
        var parts = new List<HubPart>(array.Count);
        for (var j = 0; j < array.Count; j++)
        {
            RejectUnknown(array[j].AdditionalProperties, $"{path}.content[{j}]");
            if (array[j].Type != "text")
            {
                throw new ConversionException($"{path}.content[{j}].type", $"'{path}.content[{j}].type' must be text in this message.");
            }
            parts.Add(new TextPart(array[j].Text ?? ""));
        }
        return parts;
    }

    private static void DecodeTools(CreateChatCompletionRequest request, HubRequest hub)
    {
        for (var i = 0; i < (request.Tools?.Count ?? 0); i++)
        {
            var tool = request.Tools![i];
            if (tool.Type != "function" || tool.Function is null)
            {
                throw ConversionException.Unsupported($"tools[{i}]", Elsewhere, "only function tools convert.");
            }
            hub.Tools.Add(new HubTool(tool.Function.Name, tool.Function.Description, tool.Function.Parameters, tool.Function.Strict));
        }
        foreach (var function in request.Functions ?? [])
        {
            hub.Tools.Add(new HubTool(function.Name, function.Description, function.Parameters));
        }

        if (request.ToolChoice is { } choice)
        {
            hub.ToolChoice = choice.StringValue switch
            {
                "auto" => HubToolChoice.Auto,
                "none" => HubToolChoice.None,
                "required" => HubToolChoice.Required,
                null when choice.ObjectValue is { Type: "function", Function.Name: { } name } => new HubToolChoice(HubToolChoiceKind.Function, name),
                null => throw ConversionException.Unsupported("tool_choice", Elsewhere, "only none, auto, required and a named function convert."),
                _ => throw new ConversionException("tool_choice", "'tool_choice' must be none, auto, required or a named function."),
            };
        }
        else if (request.FunctionCall is { } legacy)
        {
            hub.ToolChoice = legacy.StringValue switch
            {
                "auto" => HubToolChoice.Auto,
                "none" => HubToolChoice.None,
                null when legacy.ObjectValue is { } named => new HubToolChoice(HubToolChoiceKind.Function, named.Name),
                _ => throw new ConversionException("function_call", "'function_call' must be none, auto or a named function."),
            };
        }
        hub.ParallelToolCalls = request.ParallelToolCalls;
    }

    private static void DecodeGeneration(CreateChatCompletionRequest request, HubRequest hub)
    {
        if (request.ReasoningEffort is { } effort)
        {
            if (!ReasoningBudgets.IsEffort(effort))
            {
                throw new ConversionException("reasoning_effort", "'reasoning_effort' must be none, minimal, low, medium, high or xhigh.");
            }
            hub.Reasoning = new HubReasoning { Enabled = effort != ReasoningBudgets.None, Effort = effort };
        }
        // max_tokens is the deprecated name of the same limit; the newer one wins when both are sent.
        hub.MaxOutputTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        hub.Temperature = request.Temperature;
        hub.TopP = request.TopP;
        if (request.Stop?.StringValue is { } stop)
        {
            hub.StopSequences.Add(stop);
        }
        else if (request.Stop?.ArrayValue is { } stops)
        {
            hub.StopSequences.AddRange(stops);
        }
        hub.PresencePenalty = request.PresencePenalty;
        hub.FrequencyPenalty = request.FrequencyPenalty;
        hub.Seed = request.Seed;
        if (request.N > 1)
        {
            throw ConversionException.Unsupported("n", Elsewhere, "a converted answer has one choice.");
        }
        hub.CandidateCount = request.N;
        hub.ResponseFormat = ResponseFormat(request.ResponseFormat);
        // safety_identifier is the newer name for what user was (an end-user id for abuse monitoring); user's
        // other job, prompt-cache routing, is OpenAI's alone.
        hub.User = request.SafetyIdentifier ?? request.User;
        hub.Metadata = request.Metadata;

        if (request.Verbosity is not null)
        {
            throw ConversionException.Unsupported("verbosity", Elsewhere);
        }
        if (request.Logprobs == true || request.TopLogprobs is not null)
        {
            throw ConversionException.Unsupported(request.Logprobs == true ? "logprobs" : "top_logprobs", Elsewhere);
        }
        if (request.LogitBias is { Count: > 0 })
        {
            throw ConversionException.Unsupported("logit_bias", Elsewhere);
        }
        if (request.Audio is not null)
        {
            throw ConversionException.Unsupported("audio", Elsewhere, "audio answers exist only on OpenAI.");
        }
        if (request.Modalities?.Exists(static m => m != "text") == true)
        {
            throw ConversionException.Unsupported("modalities", Elsewhere, "only text answers convert.");
        }
        if (request.WebSearchOptions is not null)
        {
            throw ConversionException.Unsupported("web_search_options", Elsewhere);
        }
        // Dropped on purpose, because none changes what the model writes:
        // - store: keeps the completion in OpenAI's dashboard for evals and distillation;
        // - service_tier: OpenAI's processing lane (price and latency);
        // - prompt_cache_key, prompt_cache_retention: hints for OpenAI's prompt cache;
        // - prediction: Predicted Outputs only speed up an answer whose content the model decides anyway;
        // - stream_options.include_obfuscation: padding on OpenAI's own stream events.
    }

    private static HubResponseFormat? ResponseFormat(ChatCompletionResponseFormat? format) => format switch
    {
        null => null,
        { Type: "text" } => new HubResponseFormat(HubResponseFormatKind.Text),
        { Type: "json_object" } => new HubResponseFormat(HubResponseFormatKind.JsonObject),
        { Type: "json_schema", JsonSchema: { Description: not null } } =>
            throw ConversionException.Unsupported("response_format.json_schema.description", Elsewhere),
        { Type: "json_schema", JsonSchema: { } schema } =>
            new HubResponseFormat(HubResponseFormatKind.JsonSchema, schema.Name, schema.Schema, schema.Strict),
        _ => throw new ConversionException("response_format", "'response_format.type' must be text, json_object or json_schema (with json_schema set)."),
    };

    /// <summary>Fields the spec does not model cannot be carried anywhere else: a 400 naming the first.</summary>
    private static void RejectUnknown(Dictionary<string, JsonElement>? additional, string? path, string? tolerated = null)
    {
        if (additional is null)
        {
            return;
        }
        foreach (var name in additional.Keys)
        {
            if (name != tolerated)
            {
                var param = path is null ? name : $"{path}.{name}";
                throw ConversionException.Unsupported(param, Elsewhere, "Manifold does not know this field.");
            }
        }
    }
}
