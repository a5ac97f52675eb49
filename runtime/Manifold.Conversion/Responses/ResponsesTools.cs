using System.Text.Json;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>Function tools and tool choices between the Responses shape and the hub.</summary>
internal static class ResponsesTools
{
    // Responses requires parameters on a function tool; a tool without any takes an empty object.
    private static readonly JsonElement NoParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    public static void Decode(List<ResponseTool>? tools, HubRequest hub)
    {
        if (tools is null)
        {
            return;
        }
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i];
            if (tool.Type != "function")
            {
                // Built-in tools (web search, file search, code interpreter, MCP, ...) run inside OpenAI.
                throw ConversionException.Unsupported($"tools[{i}]", ResponsesProtocol.Converted, $"the built-in tool '{tool.Type}' runs only on OpenAI.");
            }
            if (string.IsNullOrEmpty(tool.Name))
            {
                throw new ConversionException($"tools[{i}].name", $"'tools[{i}].name' is required for a function tool.");
            }
            JsonElement? parameters = tool.Parameters is { ValueKind: not JsonValueKind.Null } schema ? schema : null;
            hub.Tools.Add(new HubTool(tool.Name, tool.Description, parameters, tool.Strict));
        }
    }

    public static HubToolChoice? DecodeChoice(ToolChoice? choice)
    {
        if (choice is null)
        {
            return null;
        }
        if (choice.StringValue is { } mode)
        {
            return mode switch
            {
                "auto" => HubToolChoice.Auto,
                "none" => HubToolChoice.None,
                "required" => HubToolChoice.Required,
                _ => throw new ConversionException("tool_choice", $"'tool_choice' must be none, auto or required, not '{mode}'."),
            };
        }
        var named = choice.ObjectValue!;
        if (named.Type != "function")
        {
            // allowed_tools, a built-in tool, mcp or custom: none has a hub equivalent.
            throw ConversionException.Unsupported("tool_choice", ResponsesProtocol.Converted, $"a tool choice of type '{named.Type}' has no equivalent.");
        }
        if (string.IsNullOrEmpty(named.Name))
        {
            throw new ConversionException("tool_choice.name", "'tool_choice.name' is required when tool_choice.type is function.");
        }
        return new HubToolChoice(HubToolChoiceKind.Function, named.Name);
    }

    public static List<ResponseTool> Encode(List<HubTool> tools) => tools.ConvertAll(static tool => new ResponseTool
    {
        Type = "function",
        Name = tool.Name,
        Description = tool.Description,
        Parameters = tool.Parameters ?? NoParameters,
        // Responses makes function tools strict unless told otherwise, and strict mode rejects most schemas
        // written for other platforms (it needs additionalProperties false and every property required).
        Strict = tool.Strict ?? false,
    });

    public static ToolChoice EncodeChoice(HubToolChoice choice) => choice.Kind switch
    {
        HubToolChoiceKind.None => "none",
        HubToolChoiceKind.Required => "required",
        HubToolChoiceKind.Function => new ResponseNamedToolChoice { Type = "function", Name = choice.Name },
        _ => "auto",
    };
}
