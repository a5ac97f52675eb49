using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Messages;

/// <summary>Anthropic's <c>stop_reason</c> to and from the hub's finish reason.</summary>
internal static class MessagesStopReasons
{
    public static HubFinishReason Decode(string? stopReason) => stopReason switch
    {
        "max_tokens" => HubFinishReason.Length,
        // The context window filled up before max_tokens: to a caller, the answer was cut by a token limit all the same.
        "model_context_window_exceeded" => HubFinishReason.Length,
        "tool_use" => HubFinishReason.ToolCalls,
        "refusal" => HubFinishReason.ContentFilter,
        "pause_turn" => HubFinishReason.Paused,
        // end_turn, stop_sequence (the sequence itself travels as StopSequence), and values newer than this code.
        _ => HubFinishReason.Stop,
    };

    public static string Encode(HubFinishReason reason, string? stopSequence) => reason switch
    {
        HubFinishReason.Length => "max_tokens",
        HubFinishReason.ToolCalls => "tool_use",
        HubFinishReason.ContentFilter => "refusal",
        HubFinishReason.Paused => "pause_turn",
        _ => stopSequence is null ? "end_turn" : "stop_sequence",
    };
}
