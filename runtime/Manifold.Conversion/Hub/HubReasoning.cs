namespace Manifold.Conversion.Hub;

/// <summary>
/// What the caller asked of the model's reasoning. Protocols say it differently: OpenAI by effort
/// (<c>reasoning_effort</c>, <c>reasoning.effort</c>), Anthropic by a token budget (<c>thinking.budget_tokens</c>),
/// Gemini by either (<c>thinkingConfig.thinkingBudget</c> / <c>thinkingLevel</c>). Decoders fill what the
/// caller said; encoders use <see cref="ReasoningBudgets"/> to translate the one they lack.
/// </summary>
public sealed record HubReasoning
{
    /// <summary>False when the caller turned reasoning off (effort <c>none</c>, thinking disabled, budget 0).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>One of <see cref="ReasoningBudgets"/>' effort names, when the caller gave an effort.</summary>
    public string? Effort { get; init; }

    /// <summary>Thinking token budget, when the caller gave one. -1 is Gemini's "dynamic".</summary>
    public long? BudgetTokens { get; init; }

    /// <summary>Responses' <c>reasoning.summary</c> (auto, concise, detailed), when given.</summary>
    public string? Summary { get; init; }

    /// <summary>Whether the caller wants the reasoning text back (Gemini <c>includeThoughts</c>; implied by the others when reasoning is on).</summary>
    public bool? IncludeThoughts { get; init; }
}
