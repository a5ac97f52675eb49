using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Options;

/// <summary>
/// Reasoning options picked by a model-name suffix, so clients that cannot send reasoning parameters
/// (or send another protocol's) still choose them: <c>-thinking</c> (on, default budget),
/// <c>-thinking-8192</c> (on, that budget), <c>-nothinking</c> (off), and the efforts
/// <c>-minimal</c>, <c>-low</c>, <c>-medium</c>, <c>-high</c>, <c>-xhigh</c>.
/// </summary>
public sealed record ModelSuffix(string Model, HubReasoning Reasoning)
{
    private const string Thinking = "-thinking";
    private const string NoThinking = "-nothinking";
    private static readonly string[] Efforts =
        [ReasoningBudgets.Minimal, ReasoningBudgets.Low, ReasoningBudgets.Medium, ReasoningBudgets.High, ReasoningBudgets.XHigh];

    /// <summary>The suffix of <paramref name="model"/>, or null when it has none Manifold knows.</summary>
    public static ModelSuffix? Parse(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return null;
        }
        if (model.EndsWith(NoThinking, StringComparison.OrdinalIgnoreCase) && model.Length > NoThinking.Length)
        {
            return new ModelSuffix(model[..^NoThinking.Length], new HubReasoning { Enabled = false, Effort = ReasoningBudgets.None });
        }
        if (model.EndsWith(Thinking, StringComparison.OrdinalIgnoreCase) && model.Length > Thinking.Length)
        {
            return new ModelSuffix(model[..^Thinking.Length], new HubReasoning { Effort = ReasoningBudgets.Medium, IncludeThoughts = true });
        }
        var thinking = model.LastIndexOf(Thinking + "-", StringComparison.OrdinalIgnoreCase);
        if (thinking > 0 && long.TryParse(model.AsSpan(thinking + Thinking.Length + 1), out var budget) && budget > 0)
        {
            return new ModelSuffix(model[..thinking], new HubReasoning { BudgetTokens = budget, IncludeThoughts = true });
        }
        foreach (var effort in Efforts)
        {
            if (model.Length > effort.Length + 1
                && model.EndsWith(effort, StringComparison.OrdinalIgnoreCase)
                && model[^(effort.Length + 1)] == '-')
            {
                return new ModelSuffix(model[..^(effort.Length + 1)], new HubReasoning { Effort = effort });
            }
        }
        return null;
    }
}
