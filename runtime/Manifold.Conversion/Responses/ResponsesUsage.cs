using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Responses;

/// <summary>
/// Responses usage in hub terms. The semantics already match the hub's (OpenAI's): <c>input_tokens</c> includes
/// the cached tokens, <c>output_tokens</c> the reasoning tokens, so only the field names change.
/// </summary>
internal static class ResponsesUsage
{
    public static HubUsage? Decode(ResponseUsage? usage) => usage is null ? null : new HubUsage(usage.InputTokens, usage.OutputTokens)
    {
        // The details objects are required by the API but absent from some compatible servers' answers.
        CachedInputTokens = usage.InputTokensDetails?.CachedTokens ?? 0,
        CacheCreationInputTokens = usage.InputTokensDetails?.CacheWriteTokens ?? 0,
        ReasoningTokens = usage.OutputTokensDetails?.ReasoningTokens ?? 0,
    };

    public static ResponseUsage Encode(HubUsage usage) => new()
    {
        InputTokens = usage.InputTokens,
        InputTokensDetails = new ResponseUsageInputTokensDetails
        {
            CachedTokens = usage.CachedInputTokens,
            // Required by OpenAI's published schema (openapi.yaml), 0 when nothing was written to the cache.
            CacheWriteTokens = usage.CacheCreationInputTokens,
        },
        OutputTokens = usage.OutputTokens,
        OutputTokensDetails = new ResponseUsageOutputTokensDetails { ReasoningTokens = usage.ReasoningTokens },
        TotalTokens = usage.TotalTokens,
    };
}
