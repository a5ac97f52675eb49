using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// <c>generationConfig.thinkingConfig</c> and <see cref="HubReasoning"/>. Gemini 2.x models take a token budget
/// (<c>thinkingBudget</c>: 0 off, -1 dynamic); Gemini 3 models take a level (<c>thinkingLevel</c>) and accept a
/// budget only for compatibility, and an API call may not send both. So the encoder sends what the caller said
/// when the model understands it, and translates an effort into a budget (through <see cref="ReasoningBudgets"/>)
/// only for models that have no levels.
/// </summary>
internal static class GeminiThinking
{
    public static HubReasoning? Decode(ThinkingConfig? config)
    {
        if (config is null)
        {
            return null;
        }
        GeminiFields.RejectUnknown(config.AdditionalProperties, "generationConfig.thinkingConfig");
        string? effort = null;
        if (config.ThinkingLevel is { } level && !level.Equals(ThinkingConfigThinkingLevelValues.THINKINGLEVELUNSPECIFIED, StringComparison.OrdinalIgnoreCase))
        {
            effort = level.ToLowerInvariant();
            if (effort is not (ReasoningBudgets.Minimal or ReasoningBudgets.Low or ReasoningBudgets.Medium or ReasoningBudgets.High))
            {
                throw new ConversionException("generationConfig.thinkingConfig.thinkingLevel", $"'{level}' is not a thinking level; use MINIMAL, LOW, MEDIUM or HIGH.");
            }
        }
        if (effort is null && config.ThinkingBudget is null && config.IncludeThoughts is null)
        {
            return null;
        }
        return new HubReasoning
        {
            Enabled = config.ThinkingBudget != 0,
            Effort = effort,
            BudgetTokens = config.ThinkingBudget,
            IncludeThoughts = config.IncludeThoughts,
        };
    }

    /// <summary>
    /// The thinking config for <paramref name="model"/>. <paramref name="impliedThoughts"/>: whether reasoning that is
    /// on asks for the thoughts back when the caller did not say (true when converting: every other protocol returns
    /// reasoning when it reasons; false for a model suffix on a Gemini request, which keeps the client's choice).
    /// </summary>
    public static ThinkingConfig Encode(HubReasoning reasoning, string model, bool impliedThoughts, bool? currentIncludeThoughts = null)
    {
        var enabled = reasoning.Enabled && reasoning.Effort != ReasoningBudgets.None;
        var config = new ThinkingConfig
        {
            IncludeThoughts = reasoning.IncludeThoughts ?? currentIncludeThoughts ?? (impliedThoughts && enabled ? true : null),
        };
        if (!enabled)
        {
            // Off is a zero budget on every model that can turn thinking off; the others answer with their own error.
            config.ThinkingBudget = 0;
            config.IncludeThoughts = null;
        }
        else if (reasoning.BudgetTokens is { } budget)
        {
            config.ThinkingBudget = budget;
        }
        else if (reasoning.Effort is { } effort)
        {
            if (HasThinkingLevels(model))
            {
                config.ThinkingLevel = LevelFor(effort);
            }
            else
            {
                config.ThinkingBudget = ReasoningBudgets.BudgetFor(effort);
            }
        }
        return config;
    }

    /// <summary>Gemini 3 and later think by level; 2.x and earlier (and Gemma) by budget.</summary>
    public static bool HasThinkingLevels(string model)
    {
        var name = model.StartsWith("models/", StringComparison.Ordinal) ? model.AsSpan(7) : model.AsSpan();
        if (!name.StartsWith("gemini-", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        name = name[7..];
        var digits = 0;
        while (digits < name.Length && char.IsAsciiDigit(name[digits]))
        {
            digits++;
        }
        return digits > 0 && int.TryParse(name[..digits], out var major) && major >= 3;
    }

    // Gemini's levels stop at HIGH; minimal is its own level on the models that have it.
    private static string LevelFor(string effort) => effort switch
    {
        ReasoningBudgets.Minimal => ThinkingConfigThinkingLevelValues.MINIMAL,
        ReasoningBudgets.Low => ThinkingConfigThinkingLevelValues.LOW,
        ReasoningBudgets.Medium => ThinkingConfigThinkingLevelValues.MEDIUM,
        _ => ThinkingConfigThinkingLevelValues.HIGH,
    };
}
