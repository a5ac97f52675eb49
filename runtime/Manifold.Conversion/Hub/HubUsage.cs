namespace Manifold.Conversion.Hub;

/// <summary>
/// Token counts with one meaning whatever the source. Follows OpenAI's semantics, which are the
/// most inclusive: <see cref="InputTokens"/> INCLUDES cached and cache-writing tokens, and
/// <see cref="OutputTokens"/> INCLUDES reasoning tokens.
/// <list type="bullet">
/// <item>Anthropic: input = input_tokens + cache_read_input_tokens + cache_creation_input_tokens (its input_tokens excludes both).</item>
/// <item>Gemini: input = promptTokenCount (includes cachedContentTokenCount); output = candidatesTokenCount + thoughtsTokenCount.</item>
/// </list>
/// </summary>
public sealed record HubUsage(long InputTokens, long OutputTokens)
{
    /// <summary>Input tokens read from a prompt cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens, Gemini cachedContentTokenCount).</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Input tokens written to a prompt cache (Anthropic cache_creation_input_tokens; others report none).</summary>
    public long CacheCreationInputTokens { get; init; }

    /// <summary>Output tokens spent reasoning (OpenAI reasoning_tokens, Gemini thoughtsTokenCount; Anthropic does not split them out).</summary>
    public long ReasoningTokens { get; init; }

    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Anthropic's input_tokens: the input that was neither read from nor written to the cache.</summary>
    public long UncachedInputTokens => Math.Max(0, InputTokens - CachedInputTokens - CacheCreationInputTokens);
}
