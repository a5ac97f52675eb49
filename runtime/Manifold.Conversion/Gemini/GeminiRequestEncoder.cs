using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// A hub request as a Gemini <c>GenerateContentRequest</c>. The model is not in the body: the caller puts
/// <see cref="HubRequest.Model"/> in the URL.
/// </summary>
internal static class GeminiRequestEncoder
{
    public static GenerateContentRequest Encode(HubRequest hub)
    {
        // Fields Gemini has no place for, and why leaving them out changes nothing the model generates:
        // - User: an end-user id for the platform's abuse monitoring.
        // - Metadata: OpenAI's tags for stored completions.
        // - StreamUsage: Gemini reports usage on every chunk anyway.
        // - HubTool.Strict with tool choice Required/Function: ANY mode already holds calls to their schema.
        if (hub.CandidateCount is > 1)
        {
            // The answer comes back through the hub, which holds one message.
            throw GeminiFields.Inexpressible("n", "only one candidate converts.");
        }
        if (hub.ParallelToolCalls == false)
        {
            throw GeminiFields.Inexpressible("parallel_tool_calls", "Gemini cannot be limited to one function call per turn.");
        }

        // Gemini names the function in every functionResponse; protocols that only send the call id rely on this.
        HubConversation.ResolveToolNames(hub);
        var request = new GenerateContentRequest { Contents = [] };
        if (hub.System.Count > 0)
        {
            request.SystemInstruction = new Content { Parts = [] };
            foreach (var part in hub.System)
            {
                request.SystemInstruction.Parts.Add(part is TextPart text
                    ? new Part { Text = text.Text }
                    : throw GeminiFields.Inexpressible("system", "a system instruction can only hold text."));
            }
        }
        WriteContents(hub, request.Contents);
        WriteTools(hub, request);
        request.GenerationConfig = WriteGenerationConfig(hub);
        return request;
    }

    private static void WriteContents(HubRequest hub, List<Content> contents)
    {
        Content? previous = null;
        var previousWasTool = false;
        var signsCalls = GeminiThinking.HasThinkingLevels(hub.Model);
        for (var i = 0; i < hub.Messages.Count; i++)
        {
            var message = hub.Messages[i];
            var parts = GeminiPartWriter.Write(message.Parts, $"messages[{i}].content", toClient: false);
            if (parts.Count == 0)
            {
                continue;
            }
            if (signsCalls && message.Role == HubRole.Assistant && parts.Find(static p => p.FunctionCall is not null) is { ThoughtSignature: null } firstCall)
            {
                // Gemini 3 (the models that think by level) requires a signature on the first call of each step, and
                // this one has none of Gemini's: its turn came from another platform (whose signature was dropped) or
                // from a client that had none. Google documents this value for exactly that history.
                firstCall.ThoughtSignature = GeminiSignatures.SkipValidator;
            }
            var isTool = message.Role == HubRole.Tool;
            // OpenAI sends one tool message per result; Gemini wants the responses to one turn's calls in one content.
            if (isTool && previousWasTool && previous is not null)
            {
                previous.Parts!.AddRange(parts);
                continue;
            }
            previous = new Content { Role = message.Role == HubRole.Assistant ? ContentRoleValues.Model : ContentRoleValues.User, Parts = parts };
            previousWasTool = isTool;
            contents.Add(previous);
        }
    }

    private static void WriteTools(HubRequest hub, GenerateContentRequest request)
    {
        if (hub.Tools.Count > 0)
        {
            var declarations = new List<FunctionDeclaration>(hub.Tools.Count);
            foreach (var tool in hub.Tools)
            {
                // JSON Schema as given: parametersJsonSchema takes it whole, where the older parameters takes a subset.
                declarations.Add(new FunctionDeclaration { Name = tool.Name, Description = tool.Description, ParametersJsonSchema = tool.Parameters });
            }
            request.Tools = [new Tool { FunctionDeclarations = declarations }];
        }
        var strict = hub.Tools.Any(static t => t.Strict == true);
        // No choice is auto; strict tools still need saying so.
        if (hub.ToolChoice is null && !strict)
        {
            return;
        }
        var choice = hub.ToolChoice ?? HubToolChoice.Auto;
        var config = new FunctionCallingConfig();
        switch (choice.Kind)
        {
            case HubToolChoiceKind.Auto:
                // Strict tools under auto: VALIDATED is Gemini's "calls or text, calls held to their schema".
                config.Mode = strict ? FunctionCallingConfigModeValues.VALIDATED : FunctionCallingConfigModeValues.AUTO;
                break;
            case HubToolChoiceKind.None:
                config.Mode = FunctionCallingConfigModeValues.NONE;
                break;
            case HubToolChoiceKind.Required:
                config.Mode = FunctionCallingConfigModeValues.ANY;
                break;
            case HubToolChoiceKind.Function:
                config.Mode = FunctionCallingConfigModeValues.ANY;
                config.AllowedFunctionNames = [choice.Name ?? throw GeminiFields.Inexpressible("tool_choice", "a forced function needs its name.")];
                break;
        }
        request.ToolConfig = new ToolConfig { FunctionCallingConfig = config };
    }

    private static GenerationConfig? WriteGenerationConfig(HubRequest hub)
    {
        var config = new GenerationConfig
        {
            StopSequences = hub.StopSequences.Count > 0 ? [.. hub.StopSequences] : null,
            CandidateCount = hub.CandidateCount,
            MaxOutputTokens = hub.MaxOutputTokens,
            Temperature = hub.Temperature,
            TopP = hub.TopP,
            TopK = hub.TopK,
            Seed = hub.Seed,
            PresencePenalty = hub.PresencePenalty,
            FrequencyPenalty = hub.FrequencyPenalty,
        };
        switch (hub.ResponseFormat)
        {
            case { Kind: HubResponseFormatKind.JsonObject }:
                config.ResponseMimeType = "application/json";
                break;
            case { Kind: HubResponseFormatKind.JsonSchema } format:
                // The schema's name and strict flag are OpenAI's labels; Gemini always holds JSON output to the schema.
                config.ResponseMimeType = "application/json";
                config.ResponseJsonSchema = format.Schema;
                break;
        }
        if (hub.Reasoning is { } reasoning)
        {
            // Responses' summary level has no Gemini knob: thoughts come back as Gemini's own summaries.
            config.ThinkingConfig = GeminiThinking.Encode(reasoning, hub.Model, impliedThoughts: true);
        }
        return config.StopSequences is null && config.CandidateCount is null && config.MaxOutputTokens is null && config.Temperature is null
            && config.TopP is null && config.TopK is null && config.Seed is null && config.PresencePenalty is null && config.FrequencyPenalty is null
            && config.ResponseMimeType is null && config.ThinkingConfig is null
            ? null
            : config;
    }
}
