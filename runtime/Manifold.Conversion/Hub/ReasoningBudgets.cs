namespace Manifold.Conversion.Hub;

/// <summary>
/// The one table that turns reasoning effort into a thinking budget and back, so every direction agrees.
/// The budgets follow the ranges Anthropic and Google document (Anthropic's minimum budget is 1024).
/// </summary>
public static class ReasoningBudgets
{
    public const string None = "none";
    public const string Minimal = "minimal";
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string XHigh = "xhigh";

    /// <summary>Anthropic rejects budgets below this.</summary>
    public const long MinimumAnthropicBudget = 1024;

    private static readonly (string Effort, long Budget)[] Table =
    [
        (Minimal, 1024),
        (Low, 2048),
        (Medium, 8192),
        (High, 16384),
        (XHigh, 32768),
    ];

    public static bool IsEffort(string? value) =>
        value is None or Minimal or Low or Medium or High or XHigh;

    /// <summary>The budget for an effort; 0 for <c>none</c>; null for an unknown effort.</summary>
    public static long? BudgetFor(string effort)
    {
        if (effort == None)
        {
            return 0;
        }
        foreach (var (e, budget) in Table)
        {
            if (e == effort)
            {
                return budget;
            }
        }
        return null;
    }

    /// <summary>The smallest effort whose budget covers <paramref name="budget"/>; <c>none</c> for 0, <c>medium</c> for Gemini's dynamic -1.</summary>
    public static string EffortFor(long budget)
    {
        if (budget == 0)
        {
            return None;
        }
        if (budget < 0)
        {
            return Medium;
        }
        foreach (var (effort, limit) in Table)
        {
            if (budget <= limit)
            {
                return effort;
            }
        }
        return XHigh;
    }

    /// <summary>The budget a request asks for, whichever way it said it; null when it said neither.</summary>
    public static long? BudgetOf(HubReasoning reasoning) =>
        !reasoning.Enabled ? 0 : reasoning.BudgetTokens ?? (reasoning.Effort is { } effort ? BudgetFor(effort) : null);

    /// <summary>The effort a request asks for, whichever way it said it; null when it said neither.</summary>
    public static string? EffortOf(HubReasoning reasoning) =>
        !reasoning.Enabled ? None : reasoning.Effort ?? (reasoning.BudgetTokens is { } budget ? EffortFor(budget) : null);
}
