using System.Text.Json;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Options;

/// <summary>
/// The per-request extras Manifold honours in the query string or the body:
/// <c>close_reasoning_content</c> (hide reasoning) and <c>return_reasoning_content</c> (put reasoning in
/// <c>reasoning_content</c> on OpenAI-shaped output). Taken out of the body so upstreams never see them.
/// </summary>
public static class RequestExtras
{
    public const string CloseReasoningContent = "close_reasoning_content";
    public const string ReturnReasoningContent = "return_reasoning_content";

    /// <summary>
    /// Reads and removes the extras from a DTO's <c>AdditionalProperties</c>, on top of what the query
    /// string already set. A non-boolean value is a 400 rather than a guess.
    /// </summary>
    public static OutputOptions Take(IDictionary<string, JsonElement>? additionalProperties, OutputOptions fromQuery)
    {
        if (additionalProperties is null || additionalProperties.Count == 0)
        {
            return fromQuery;
        }
        var close = Take(additionalProperties, CloseReasoningContent) ?? fromQuery.SuppressReasoning;
        var @return = Take(additionalProperties, ReturnReasoningContent) ?? fromQuery.ReasoningAsContent;
        return close == fromQuery.SuppressReasoning && @return == fromQuery.ReasoningAsContent
            ? fromQuery
            : new OutputOptions(close, @return);
    }

    /// <summary>The extras named in a query string (<c>?close_reasoning_content=true</c>); a bare name means true.</summary>
    public static OutputOptions FromQuery(Func<string, string?> query)
    {
        var close = ParseFlag(query(CloseReasoningContent), CloseReasoningContent);
        var @return = ParseFlag(query(ReturnReasoningContent), ReturnReasoningContent);
        return close is null && @return is null ? OutputOptions.Default : new OutputOptions(close ?? false, @return ?? false);
    }

    private static bool? Take(IDictionary<string, JsonElement> properties, string name)
    {
        if (!properties.Remove(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            JsonValueKind.String => ParseFlag(value.GetString(), name),
            _ => throw new Pipeline.ConversionException(name, $"'{name}' must be a boolean."),
        };
    }

    private static bool? ParseFlag(string? value, string name) => value switch
    {
        null => null,
        "" or "1" => true,
        "0" => false,
        _ when bool.TryParse(value, out var flag) => flag,
        _ => throw new Pipeline.ConversionException(name, $"'{name}' must be true or false."),
    };
}
