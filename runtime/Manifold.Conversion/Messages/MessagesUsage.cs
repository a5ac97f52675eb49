using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Messages;

/// <summary>
/// Anthropic's usage to and from the hub's. Anthropic's <c>input_tokens</c> counts only the input that was
/// neither read from nor written to the prompt cache; the request's whole input is input_tokens +
/// cache_read_input_tokens + cache_creation_input_tokens, which is what <see cref="HubUsage.InputTokens"/>
/// holds. Output tokens include thinking on both sides.
/// </summary>
internal static class MessagesUsage
{
    public static HubUsage? Decode(Usage? usage) =>
        usage is null ? null : Hub(usage.InputTokens, usage.OutputTokens, usage.CacheReadInputTokens, usage.CacheCreationInputTokens, usage.OutputTokensDetails);

    public static HubUsage Hub(long input, long output, long? cacheRead, long? cacheCreation, OutputTokensDetails? details)
    {
        var read = cacheRead ?? 0;
        var written = cacheCreation ?? 0;
        return new HubUsage(input + read + written, output)
        {
            CachedInputTokens = read,
            CacheCreationInputTokens = written,
            ReasoningTokens = details?.ThinkingTokens ?? 0,
        };
    }

    /// <summary>Usage as a complete answer and message_start report it; zeros when the platform reported none.</summary>
    public static Usage Encode(HubUsage? usage) => new()
    {
        InputTokens = usage?.UncachedInputTokens ?? 0,
        OutputTokens = usage?.OutputTokens ?? 0,
        CacheCreationInputTokens = usage?.CacheCreationInputTokens ?? 0,
        CacheReadInputTokens = usage?.CachedInputTokens ?? 0,
    };

    /// <summary>The cumulative usage message_delta reports. Input counts ride along: platforms that only know them at the end (OpenAI) report them here.</summary>
    public static MessageDeltaUsage EncodeDelta(HubUsage usage) => new()
    {
        OutputTokens = usage.OutputTokens,
        InputTokens = usage.UncachedInputTokens,
        CacheCreationInputTokens = usage.CacheCreationInputTokens,
        CacheReadInputTokens = usage.CachedInputTokens,
    };
}
