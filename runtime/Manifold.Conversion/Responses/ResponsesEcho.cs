using System.Text;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Responses;

/// <summary>
/// The response object around a converted answer. OpenAI echoes the request's settings in every response
/// (instructions, tools, sampling, limits), so the caller's request, in hub terms, fills them in.
/// </summary>
internal static class ResponsesEcho
{
    public const string Completed = "completed";
    public const string Incomplete = "incomplete";
    public const string InProgress = "in_progress";

    public static Response Create(HubRequest request, string id, string model, long createdAt, string status) => new()
    {
        Id = id,
        CreatedAt = createdAt,
        Status = status,
        Model = model,
        Output = [],
        Instructions = Instructions(request.System),
        ParallelToolCalls = request.ParallelToolCalls ?? true,
        Temperature = request.Temperature,
        TopP = request.TopP,
        ToolChoice = ResponsesTools.EncodeChoice(request.ToolChoice ?? HubToolChoice.Auto),
        Tools = ResponsesTools.Encode(request.Tools),
        Metadata = request.Metadata ?? [],
        MaxOutputTokens = request.MaxOutputTokens,
        Reasoning = ResponsesFormats.EncodeReasoning(request.Reasoning) ?? new ResponseReasoningConfig(),
        Text = ResponsesFormats.EncodeText(request.ResponseFormat),
        // Nothing is stored: a converted response cannot be retrieved or continued by id.
        Store = false,
        User = request.User,
    };

    /// <summary>Whether <paramref name="reason"/> leaves the response complete, and if not why, in Responses terms.</summary>
    public static (string Status, ResponseIncompleteDetails? Details) Outcome(HubFinishReason reason) => reason switch
    {
        HubFinishReason.Length => (Incomplete, new ResponseIncompleteDetails { Reason = "max_output_tokens" }),
        HubFinishReason.ContentFilter => (Incomplete, new ResponseIncompleteDetails { Reason = "content_filter" }),
        // Anthropic's pause_turn: the turn is unfinished and must be sent back to go on, which is what Responses
        // clients do with an incomplete response; "completed" would make them take a partial turn as whole.
        HubFinishReason.Paused => (Incomplete, new ResponseIncompleteDetails { Reason = "max_output_tokens" }),
        _ => (Completed, null),
    };

    private static ResponseInput? Instructions(List<HubPart> system)
    {
        if (system.Count == 0)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var part in system.OfType<TextPart>())
        {
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }
            text.Append(part.Text);
        }
        return text.ToString();
    }
}
