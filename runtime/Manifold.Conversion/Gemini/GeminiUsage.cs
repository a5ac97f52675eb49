using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// <c>usageMetadata</c> and <see cref="HubUsage"/>. Gemini's <c>promptTokenCount</c> already includes
/// <c>cachedContentTokenCount</c> (as OpenAI's prompt_tokens includes cached tokens), and
/// <c>candidatesTokenCount</c> excludes <c>thoughtsTokenCount</c> (where OpenAI's completion_tokens includes
/// reasoning). Tokens of tool-use prompts (search results and the like) are input the model read, so they count
/// as input: the hub total then equals Gemini's <c>totalTokenCount</c>.
/// </summary>
internal static class GeminiUsage
{
    public static HubUsage? Decode(UsageMetadata? usage)
    {
        if (usage is null)
        {
            return null;
        }
        var thoughts = usage.ThoughtsTokenCount ?? 0;
        return new HubUsage(
            (usage.PromptTokenCount ?? 0) + (usage.ToolUsePromptTokenCount ?? 0),
            (usage.CandidatesTokenCount ?? 0) + thoughts)
        {
            CachedInputTokens = usage.CachedContentTokenCount ?? 0,
            ReasoningTokens = thoughts,
        };
    }

    public static UsageMetadata Encode(HubUsage usage) => new()
    {
        PromptTokenCount = usage.InputTokens,
        CachedContentTokenCount = usage.CachedInputTokens > 0 ? usage.CachedInputTokens : null,
        CandidatesTokenCount = Math.Max(0, usage.OutputTokens - usage.ReasoningTokens),
        ThoughtsTokenCount = usage.ReasoningTokens > 0 ? usage.ReasoningTokens : null,
        TotalTokenCount = usage.TotalTokens,
    };
}
