namespace Manifold.Conversion.Hub;

/// <summary>
/// A streamed answer in no protocol's shape. Stream decoders turn platform chunks into these; stream
/// encoders turn them into the caller's chunks. The grammar, which decoders must follow:
/// <code>
/// Started (ReasoningDelta | ReasoningSignature | RedactedReasoning | TextDelta | RefusalDelta
///          | ToolCallStarted ToolCallArgumentsDelta*)* [UsageReported] Finished
/// </code>
/// Tool calls are numbered from 0 in the order they start; argument deltas name their call's index, and
/// may interleave between calls (OpenAI parallel tool calls), which encoders of sequential-block protocols
/// (Anthropic, Responses) must handle. Started may carry input usage, Finished the final usage.
/// </summary>
public abstract record HubStreamEvent;

public sealed record StreamStarted(string Id, string Model, long Created) : HubStreamEvent
{
    /// <summary>Usage known when the stream starts (Anthropic's message_start reports input tokens).</summary>
    public HubUsage? Usage { get; init; }
}

public sealed record TextDelta(string Text) : HubStreamEvent;

public sealed record RefusalDelta(string Text) : HubStreamEvent;

public sealed record ReasoningDelta(string Text) : HubStreamEvent;

/// <summary>
/// The signature of the reasoning streamed so far (Anthropic signature_delta, Gemini thoughtSignature, Responses
/// encrypted_content), and the platform that issued it when known (<see cref="ReasoningPart.Origin"/>).
/// </summary>
public sealed record ReasoningSignature(string Signature, string? Origin = null) : HubStreamEvent;

/// <summary>Anthropic's redacted_thinking block.</summary>
public sealed record RedactedReasoning(string Data) : HubStreamEvent;

public sealed record ToolCallStarted(int Index, string Id, string Name) : HubStreamEvent;

public sealed record ToolCallArgumentsDelta(int Index, string Json) : HubStreamEvent;

/// <summary>Usage reported mid-stream or in a trailing chunk (OpenAI's include_usage chunk); the latest wins.</summary>
public sealed record UsageReported(HubUsage Usage) : HubStreamEvent;

/// <summary>The end of the answer. Decoders emit it exactly once, from their finish step if the platform never said why.</summary>
public sealed record StreamFinished(HubFinishReason Reason, HubUsage? Usage = null, string? StopSequence = null) : HubStreamEvent;
