using Manifold.Contracts;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Pipeline;

/// <summary>
/// A platform's own input-token counter, in hub terms: Anthropic's <c>count_tokens</c>, Gemini's <c>countTokens</c>, OpenAI's
/// <c>responses/input_tokens</c>. One implementation per platform protocol that has one (Chat Completions has none).
/// </summary>
public interface IHubTokenCounter
{
    /// <summary>
    /// The input tokens of <paramref name="request"/> (system prompt, conversation, tools, reasoning and output schema), as
    /// the platform counts them. The request holds only what a count reads (<see cref="TokenCounting.InputOf"/>).
    /// </summary>
    Task<long> CountTokensAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken);
}
