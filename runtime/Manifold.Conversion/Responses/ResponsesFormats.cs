using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>The <c>text</c> (output format) and <c>reasoning</c> options between the Responses shape and the hub.</summary>
internal static class ResponsesFormats
{
    public static HubResponseFormat? DecodeText(ResponseTextConfig? text)
    {
        if (text is null)
        {
            return null;
        }
        if (text.Verbosity is not null)
        {
            throw ConversionException.Unsupported("text.verbosity", ResponsesProtocol.Converted);
        }
        if (text.Format is not { } format)
        {
            return null;
        }
        if (format.Description is not null)
        {
            // The description guides what the model writes; no other protocol carries one for the whole output.
            throw ConversionException.Unsupported("text.format.description", ResponsesProtocol.Converted);
        }
        return format.Type switch
        {
            "text" => new HubResponseFormat(HubResponseFormatKind.Text),
            "json_object" => new HubResponseFormat(HubResponseFormatKind.JsonObject),
            "json_schema" when format.Schema is null =>
                throw new ConversionException("text.format.schema", "'text.format.schema' is required when text.format.type is json_schema."),
            "json_schema" => new HubResponseFormat(HubResponseFormatKind.JsonSchema, format.Name, format.Schema, format.Strict),
            _ => throw ConversionException.Unsupported("text.format.type", ResponsesProtocol.Converted, $"'{format.Type}' has no equivalent."),
        };
    }

    public static ResponseTextConfig EncodeText(HubResponseFormat? format) => new()
    {
        Format = format?.Kind switch
        {
            HubResponseFormatKind.JsonObject => new ResponseTextFormat { Type = "json_object" },
            HubResponseFormatKind.JsonSchema => new ResponseTextFormat
            {
                Type = "json_schema",
                // The API requires a name; other protocols' schemas (Gemini's responseSchema) have none.
                Name = format.Name ?? "response",
                Schema = format.Schema,
                Strict = format.Strict,
            },
            _ => new ResponseTextFormat { Type = "text" },
        },
    };

    public static HubReasoning? DecodeReasoning(ResponseReasoningConfig? reasoning)
    {
        if (reasoning is null)
        {
            return null;
        }
        var summary = reasoning.Summary ?? reasoning.GenerateSummary;
        if (reasoning.Effort is null && summary is null)
        {
            return null;
        }
        if (reasoning.Effort is not null && !ReasoningBudgets.IsEffort(reasoning.Effort))
        {
            throw ConversionException.Unsupported("reasoning.effort", ResponsesProtocol.Converted, $"the effort '{reasoning.Effort}' has no equivalent.");
        }
        return new HubReasoning
        {
            Enabled = reasoning.Effort != ReasoningBudgets.None,
            Effort = reasoning.Effort,
            Summary = summary,
            // Responses returns reasoning text only when a summary is asked for.
            IncludeThoughts = summary is null ? null : true,
        };
    }

    /// <summary>The <c>reasoning</c> object for a hub request; null when it says nothing about reasoning.</summary>
    public static ResponseReasoningConfig? EncodeReasoning(HubReasoning? reasoning)
    {
        if (reasoning is null)
        {
            return null;
        }
        var effort = ReasoningBudgets.EffortOf(reasoning);
        // A caller of another protocol that asked to see the thinking gets OpenAI's summary of it.
        var summary = reasoning.Summary ?? (reasoning.Enabled && reasoning.IncludeThoughts == true ? "auto" : null);
        return effort is null && summary is null ? null : new ResponseReasoningConfig { Effort = effort, Summary = summary };
    }
}
