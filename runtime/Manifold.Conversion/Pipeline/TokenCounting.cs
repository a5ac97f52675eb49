using Manifold.Contracts;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Messages;

namespace Manifold.Conversion.Pipeline;

/// <summary>How a client's token count is answered by a platform that does not speak the client's protocol.</summary>
public static class TokenCounting
{
    /// <summary>
    /// The platform's own count when it has a counter; otherwise the estimate Anthropic clients get from such platforms
    /// (<see cref="MessagesTokenEstimate"/>), of the request as a Messages platform would receive it.
    /// </summary>
    public static Task<long> CountAsync(IHubTokenCounter? counter, HubRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        InputOf(request);
        return counter is null ? Task.FromResult(MessagesTokenEstimate.Count(request)) : counter.CountTokensAsync(request, context, cancellationToken);
    }

    /// <summary>
    /// Clears what generates no input tokens, in place: limits, sampling, stop sequences, seeds, choices, end-user ids,
    /// metadata, the parallel-calls switch and a response format without a schema. No count endpoint takes them (OpenAI's
    /// refuses the fields it does not know), and a platform that cannot express one (Anthropic a seed, Gemini
    /// <c>parallel_tool_calls: false</c>) would otherwise refuse a count it can make. Kept: the system prompt, the
    /// conversation, tools and tool choice, reasoning, and a JSON schema, which Anthropic and OpenAI count.
    /// </summary>
    public static void InputOf(HubRequest request)
    {
        request.MaxOutputTokens = null;
        request.Temperature = null;
        request.TopP = null;
        request.TopK = null;
        request.StopSequences.Clear();
        request.PresencePenalty = null;
        request.FrequencyPenalty = null;
        request.Seed = null;
        request.CandidateCount = null;
        request.User = null;
        request.Metadata = null;
        request.ParallelToolCalls = null;
        request.Stream = false;
        if (request.ResponseFormat is { Kind: not HubResponseFormatKind.JsonSchema })
        {
            request.ResponseFormat = null;
        }
    }
}
