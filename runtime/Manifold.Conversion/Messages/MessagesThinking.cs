using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>
/// Reasoning settings to and from Anthropic's <c>thinking</c> (a token budget) and <c>output_config.effort</c>.
/// Anthropic requires <c>max_tokens</c>, a budget of at least 1024, and a budget below <c>max_tokens</c> (the
/// budget counts towards it); the rules live here so that the encoder and model suffixes agree.
/// </summary>
internal static class MessagesThinking
{
    /// <summary>
    /// max_tokens when the caller set no limit (Anthropic requires one): 4096 leaves room for a long answer on
    /// every Claude model. With thinking, the same room is added on top of the thinking budget.
    /// </summary>
    public const long DefaultMaxTokens = 4096;

    /// <summary>The largest token count Manifold sends: every vendor types them as 32-bit integers.</summary>
    public const long MaxTokenCount = int.MaxValue;

    /// <summary>The thinking config and max_tokens to send for what the caller asked.</summary>
    public static (ThinkingConfig? Thinking, long MaxTokens) Encode(HubReasoning? reasoning, long? maxTokens, string maxTokensParam)
    {
        if (reasoning is null)
        {
            return (null, maxTokens ?? DefaultMaxTokens);
        }
        var asked = ReasoningBudgets.BudgetOf(reasoning);
        if (asked == 0)
        {
            return (new ThinkingConfig { Type = "disabled" }, maxTokens ?? DefaultMaxTokens);
        }
        // Gemini's dynamic budget (-1), or reasoning asked for without a size (Gemini includeThoughts alone,
        // Responses summary alone), gets the medium budget.
        var budget = asked is > 0 ? asked.Value : ReasoningBudgets.BudgetFor(ReasoningBudgets.Medium)!.Value;
        budget = Math.Max(budget, ReasoningBudgets.MinimumAnthropicBudget);
        // Never past 2^31-1, the largest token count any vendor's API takes (they are 32-bit integers), and never
        // wrapped: a budget near long.MaxValue (requests bound token counts, but a plugin's DTO or a model suffix may
        // not) must not become a negative max_tokens. A budget that fills it is cut to three quarters below.
        var max = maxTokens ?? Math.Min(budget, MaxTokenCount - DefaultMaxTokens) + DefaultMaxTokens;
        if (budget >= max)
        {
            // The caller's limit covers thinking and answer together (as OpenAI's max_completion_tokens does):
            // thinking gets three quarters of it, so the answer is not starved, and never less than Anthropic's minimum.
            budget = Math.Max(max / 4 * 3, ReasoningBudgets.MinimumAnthropicBudget);
            if (budget >= max)
            {
                throw new ConversionException(maxTokensParam,
                    $"'{maxTokensParam}' is {max}, but Anthropic thinks with at least {ReasoningBudgets.MinimumAnthropicBudget} tokens, and they count towards it: " +
                    $"raise it above {ReasoningBudgets.MinimumAnthropicBudget} or turn reasoning off.");
            }
        }
        // display (summarized or omitted) is left to the model's default: older models reject the field, and
        // hiding reasoning from the caller is close_reasoning_content's job, which works everywhere.
        return (new ThinkingConfig { Type = "enabled", BudgetTokens = budget }, max);
    }

    /// <summary>The caller's thinking and effort settings in hub terms; null when it set neither.</summary>
    public static HubReasoning? Decode(ThinkingConfig? thinking, string? effort, string path)
    {
        // max is Anthropic's effort above xhigh; the hub's scale tops out at xhigh, the nearest it has.
        var hubEffort = effort switch
        {
            null => null,
            "max" => ReasoningBudgets.XHigh,
            _ when ReasoningBudgets.IsEffort(effort) => effort,
            _ => throw new ConversionException("output_config.effort", $"'output_config.effort' must be low, medium, high, xhigh or max, not '{effort}'."),
        };
        if (thinking is null)
        {
            return hubEffort is null ? null : new HubReasoning { Effort = hubEffort };
        }
        return thinking.Type switch
        {
            "disabled" => new HubReasoning { Enabled = false, Effort = ReasoningBudgets.None },
            "enabled" => new HubReasoning
            {
                BudgetTokens = thinking.BudgetTokens
                    ?? throw new ConversionException(path + ".budget_tokens", $"'{path}.budget_tokens' is required when thinking is enabled."),
                Effort = hubEffort,
                IncludeThoughts = thinking.Display != "omitted",
            },
            // Adaptive thinking lets the model size its thinking; effort (or, without one, the medium default) is the closest hub terms.
            "adaptive" => new HubReasoning { Effort = hubEffort ?? ReasoningBudgets.Medium, IncludeThoughts = thinking.Display != "omitted" },
            _ => throw new ConversionException(path + ".type", $"'{path}.type' must be enabled, disabled or adaptive."),
        };
    }
}
