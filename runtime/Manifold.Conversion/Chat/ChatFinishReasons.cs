using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Chat;

/// <summary>Chat Completions <c>finish_reason</c> values in hub terms.</summary>
internal static class ChatFinishReasons
{
    public static HubFinishReason Decode(string? reason) => reason switch
    {
        "length" => HubFinishReason.Length,
        // function_call is the legacy functions API's name for the same thing.
        "tool_calls" or "function_call" => HubFinishReason.ToolCalls,
        "content_filter" => HubFinishReason.ContentFilter,
        // stop, and whatever a compatible service invents: the answer ended without a reason worth acting on.
        _ => HubFinishReason.Stop,
    };

    public static string Encode(HubFinishReason reason) => reason switch
    {
        HubFinishReason.Length => "length",
        HubFinishReason.ToolCalls => "tool_calls",
        HubFinishReason.ContentFilter => "content_filter",
        // Anthropic's pause_turn: the turn is unfinished and the caller should send it back to continue, which
        // is what Chat clients already do on "length"; "stop" would make them take a partial turn as complete.
        HubFinishReason.Paused => "length",
        _ => "stop",
    };
}
