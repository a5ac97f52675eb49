namespace Manifold.Conversion.Hub;

/// <summary>A complete (non-streamed) answer: one assistant message, why it ended, and what it cost.</summary>
public sealed class HubResponse
{
    /// <summary>The upstream's response id (encoders add their protocol's prefix when it lacks one).</summary>
    public required string Id { get; set; }

    public required string Model { get; set; }

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    /// <summary>The assistant's output in order: reasoning, text, refusals, tool calls.</summary>
    public List<HubPart> Content { get; } = [];

    public HubFinishReason FinishReason { get; set; } = HubFinishReason.Stop;

    /// <summary>The stop sequence that ended generation, when the platform reports it (Anthropic).</summary>
    public string? StopSequence { get; set; }

    public HubUsage? Usage { get; set; }
}

/// <summary>Why generation ended, in terms every protocol can map.</summary>
public enum HubFinishReason
{
    /// <summary>Natural end or a stop sequence (OpenAI stop, Anthropic end_turn/stop_sequence, Gemini STOP).</summary>
    Stop,
    /// <summary>The token limit (OpenAI length, Anthropic max_tokens, Gemini MAX_TOKENS, Responses incomplete).</summary>
    Length,
    /// <summary>The model called tools (OpenAI tool_calls, Anthropic tool_use).</summary>
    ToolCalls,
    /// <summary>A safety filter cut the answer (OpenAI content_filter, Gemini SAFETY/RECITATION/…, Anthropic refusal).</summary>
    ContentFilter,
    /// <summary>Anthropic's <c>pause_turn</c>: a long server-tool turn paused; the caller should continue it.</summary>
    Paused,
}
