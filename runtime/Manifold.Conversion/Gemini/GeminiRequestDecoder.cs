using System.Text.Json;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>A Gemini client's request in hub terms. The model comes from the URL; the body has none.</summary>
internal static class GeminiRequestDecoder
{
    public static HubRequest Decode(GenerateContentRequest request, string? pathModel)
    {
        // Every field is either read below or named here, so that none is dropped without a reason:
        // - safetySettings: Gemini's own content filters; other platforms apply theirs, and generation is the same.
        // - labels: billing labels (Vertex AI), not seen by the model.
        GeminiFields.RejectUnknown(request.AdditionalProperties, string.Empty);
        if (request.CachedContent is not null)
        {
            // The cache holds part of the prompt on Google's side; without it the conversation would be incomplete.
            throw GeminiFields.Unsupported("cachedContent");
        }

        var hub = new HubRequest { Model = StripPrefix(pathModel ?? string.Empty) };
        if (request.SystemInstruction is { } system)
        {
            ReadSystem(system, hub);
        }

        var ids = GeminiToolCallIds.ForRequest(request);
        for (var i = 0; i < request.Contents.Count; i++)
        {
            var content = request.Contents[i];
            var path = $"contents[{i}]";
            GeminiFields.RejectUnknown(content.AdditionalProperties, path);
            var role = content.Role switch
            {
                null or "" or ContentRoleValues.User or ContentRoleValues.Function => HubRole.User,
                ContentRoleValues.Model => HubRole.Assistant,
                _ => throw new ConversionException(path + ".role", $"'{content.Role}' is not a role; use user or model."),
            };
            var message = new HubMessage(role);
            GeminiPartReader.Read(content.Parts, path, ids, message.Parts, fromClient: true);
            if (message.Parts.Count > 0)
            {
                hub.Messages.Add(message);
            }
        }

        ReadTools(request, hub);
        if (request.GenerationConfig is { } config)
        {
            ReadGenerationConfig(config, hub);
        }
        HubConversation.ResolveToolNames(hub);
        return hub;
    }

    /// <summary>Model names in a Gemini path may carry the resource prefix (<c>models/gemini-2.5-flash</c>).</summary>
    public static string StripPrefix(string model) => model.StartsWith("models/", StringComparison.Ordinal) ? model[7..] : model;

    private static void ReadSystem(Content system, HubRequest hub)
    {
        GeminiFields.RejectUnknown(system.AdditionalProperties, "systemInstruction");
        var parts = system.Parts ?? [];
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var path = $"systemInstruction.parts[{i}]";
            GeminiFields.RejectUnknown(part.AdditionalProperties, path);
            if (part.InlineData is not null || part.FileData is not null || part.FunctionCall is not null || part.FunctionResponse is not null
                || part.ExecutableCode is not null || part.CodeExecutionResult is not null || part.Thought == true)
            {
                throw GeminiFields.Unsupported(path, "a system instruction can only hold text.");
            }
            if (!string.IsNullOrEmpty(part.Text))
            {
                hub.System.Add(new TextPart(part.Text));
            }
        }
    }

    private static void ReadTools(GenerateContentRequest request, HubRequest hub)
    {
        var anyStrict = false;
        var tools = request.Tools ?? [];
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i];
            var path = $"tools[{i}]";
            // Google's built-in tools run on Google's side: no other platform has them.
            if (tool.GoogleSearch is not null)
            {
                throw GeminiFields.Unsupported(path + ".googleSearch");
            }
            if (tool.GoogleSearchRetrieval is not null)
            {
                throw GeminiFields.Unsupported(path + ".googleSearchRetrieval");
            }
            if (tool.CodeExecution is not null)
            {
                throw GeminiFields.Unsupported(path + ".codeExecution");
            }
            if (tool.UrlContext is not null)
            {
                throw GeminiFields.Unsupported(path + ".urlContext");
            }
            if (tool.ComputerUse is not null)
            {
                throw GeminiFields.Unsupported(path + ".computerUse");
            }
            GeminiFields.RejectUnknown(tool.AdditionalProperties, path);
            var declarations = tool.FunctionDeclarations ?? [];
            for (var j = 0; j < declarations.Count; j++)
            {
                var function = declarations[j];
                var functionPath = $"{path}.functionDeclarations[{j}]";
                // behavior (BLOCKING / NON_BLOCKING) is read only by the Live API, never by generateContent.
                GeminiFields.RejectUnknown(function.AdditionalProperties, functionPath);
                if (function.Response is not null || function.ResponseJsonSchema is not null)
                {
                    throw GeminiFields.Unsupported(functionPath + (function.Response is not null ? ".response" : ".responseJsonSchema"));
                }
                JsonElement? parameters = function.ParametersJsonSchema is { } jsonSchema ? jsonSchema
                    : function.Parameters is { } schema ? GeminiSchema.ToJsonSchema(schema)
                    : null;
                hub.Tools.Add(new HubTool(function.Name, function.Description, parameters));
            }
        }

        // retrievalConfig only configures the Google Maps tool, which cannot be converted and was rejected above.
        if (request.ToolConfig?.FunctionCallingConfig is not { } calling)
        {
            GeminiFields.RejectUnknown(request.ToolConfig?.AdditionalProperties, "toolConfig");
            return;
        }
        GeminiFields.RejectUnknown(request.ToolConfig.AdditionalProperties, "toolConfig");
        GeminiFields.RejectUnknown(calling.AdditionalProperties, "toolConfig.functionCallingConfig");
        var allowed = calling.AllowedFunctionNames ?? [];
        var mode = calling.Mode?.ToUpperInvariant();
        switch (mode)
        {
            case null or FunctionCallingConfigModeValues.MODEUNSPECIFIED or FunctionCallingConfigModeValues.AUTO:
                hub.ToolChoice = HubToolChoice.Auto;
                break;
            case FunctionCallingConfigModeValues.NONE:
                hub.ToolChoice = HubToolChoice.None;
                break;
            case FunctionCallingConfigModeValues.ANY:
                hub.ToolChoice = allowed.Count == 1 ? new HubToolChoice(HubToolChoiceKind.Function, allowed[0]) : HubToolChoice.Required;
                break;
            case FunctionCallingConfigModeValues.VALIDATED:
                // Calls or text, with calls held to their schema: what strict function tools with tool_choice auto mean elsewhere.
                hub.ToolChoice = HubToolChoice.Auto;
                anyStrict = true;
                break;
            default:
                throw new ConversionException("toolConfig.functionCallingConfig.mode", $"'{calling.Mode}' is not a function calling mode; use AUTO, ANY, NONE or VALIDATED.");
        }
        // A list naming every declared function restricts nothing; one name under ANY is a forced call. Anything else
        // restricts the choice to a subset, which the other protocols cannot say.
        var restricts = allowed.Count > 0
            && hub.ToolChoice.Kind != HubToolChoiceKind.Function
            && !hub.Tools.Select(static t => t.Name).ToHashSet(StringComparer.Ordinal).SetEquals(allowed);
        if (restricts)
        {
            throw GeminiFields.Unsupported("toolConfig.functionCallingConfig.allowedFunctionNames",
                "other platforms can force one named function, not restrict the choice to a subset.");
        }
        if (anyStrict)
        {
            for (var i = 0; i < hub.Tools.Count; i++)
            {
                hub.Tools[i] = hub.Tools[i] with { Strict = true };
            }
        }
    }

    private static void ReadGenerationConfig(GenerationConfig config, HubRequest hub)
    {
        const string Path = "generationConfig";
        GeminiFields.RejectUnknown(config.AdditionalProperties, Path);
        // mediaResolution trades input-media detail for tokens; other platforms pick their own resolution.
        if (config.ResponseLogprobs == true || config.Logprobs is not null)
        {
            throw GeminiFields.Unsupported(Path + (config.ResponseLogprobs == true ? ".responseLogprobs" : ".logprobs"));
        }
        if (config.EnableEnhancedCivicAnswers == true)
        {
            throw GeminiFields.Unsupported(Path + ".enableEnhancedCivicAnswers");
        }
        if (config.SpeechConfig is not null)
        {
            throw GeminiFields.Unsupported(Path + ".speechConfig");
        }
        if (config.ImageConfig is not null)
        {
            throw GeminiFields.Unsupported(Path + ".imageConfig");
        }
        foreach (var modality in config.ResponseModalities ?? [])
        {
            if (!string.Equals(modality, GenerationConfigResponseModalitiesValues.TEXT, StringComparison.OrdinalIgnoreCase))
            {
                throw GeminiFields.Unsupported(Path + ".responseModalities", $"only TEXT converts, not {modality}.");
            }
        }
        if (config.CandidateCount is > 1)
        {
            throw GeminiFields.Unsupported(Path + ".candidateCount", "only one candidate converts.");
        }
        hub.CandidateCount = config.CandidateCount;
        hub.StopSequences.AddRange(config.StopSequences ?? []);
        hub.MaxOutputTokens = config.MaxOutputTokens;
        hub.Temperature = config.Temperature;
        hub.TopP = config.TopP;
        if (config.TopK is { } topK)
        {
            hub.TopK = (long)Math.Round(topK);
        }
        hub.Seed = config.Seed;
        hub.PresencePenalty = config.PresencePenalty;
        hub.FrequencyPenalty = config.FrequencyPenalty;
        hub.ResponseFormat = ReadResponseFormat(config);
        hub.Reasoning = GeminiThinking.Decode(config.ThinkingConfig);
    }

    private static HubResponseFormat? ReadResponseFormat(GenerationConfig config)
    {
        JsonElement? schema = config.ResponseJsonSchema is { } jsonSchema ? jsonSchema
            : config.ResponseSchema is { } geminiSchema ? GeminiSchema.ToJsonSchema(geminiSchema)
            : null;
        switch (config.ResponseMimeType?.ToLowerInvariant())
        {
            case null when schema is null:
                return null;
            case "text/plain" when schema is null:
                return new HubResponseFormat(HubResponseFormatKind.Text);
            case "application/json":
                return schema is null ? new HubResponseFormat(HubResponseFormatKind.JsonObject) : new HubResponseFormat(HubResponseFormatKind.JsonSchema, Schema: schema);
            default:
                throw GeminiFields.Unsupported(config.ResponseMimeType is null ? "generationConfig.responseSchema" : "generationConfig.responseMimeType",
                    "other platforms take a schema only for application/json output.");
        }
    }
}
