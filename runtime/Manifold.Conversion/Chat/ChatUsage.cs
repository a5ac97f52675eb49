using System.Text.Json;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Chat;

/// <summary>
/// Chat Completions usage in hub terms. OpenAI's semantics are the hub's: <c>prompt_tokens</c> INCLUDES
/// <c>prompt_tokens_details.cached_tokens</c>, <c>completion_tokens</c> INCLUDES
/// <c>completion_tokens_details.reasoning_tokens</c>, so the numbers map one to one.
/// </summary>
internal static class ChatUsage
{
    public static HubUsage Decode(CompletionUsage usage)
    {
        var cached = usage.PromptTokensDetails?.CachedTokens;
        // DeepSeek reports its cache hits as prompt_cache_hit_tokens (a part of prompt_tokens) instead.
        if (cached is null && usage.AdditionalProperties?.TryGetValue("prompt_cache_hit_tokens", out var hits) == true
            && hits.ValueKind == JsonValueKind.Number)
        {
            cached = hits.GetInt64();
        }
        return new HubUsage(usage.PromptTokens, usage.CompletionTokens)
        {
            CachedInputTokens = cached ?? 0,
            ReasoningTokens = usage.CompletionTokensDetails?.ReasoningTokens ?? 0,
        };
    }

    /// <summary>
    /// OpenAI's shape, details included as OpenAI always sends them. Cache writes (Anthropic) have no field
    /// here and stay counted in <c>prompt_tokens</c>, as the hub already counts them.
    /// </summary>
    public static CompletionUsage Encode(HubUsage usage) => new()
    {
        PromptTokens = usage.InputTokens,
        CompletionTokens = usage.OutputTokens,
        TotalTokens = usage.TotalTokens,
        PromptTokensDetails = new CompletionUsagePromptTokensDetails { CachedTokens = usage.CachedInputTokens },
        CompletionTokensDetails = new CompletionUsageCompletionTokensDetails { ReasoningTokens = usage.ReasoningTokens },
    };
}
