using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Responses;

/// <summary>An OpenAI platform's complete Responses answer in hub terms.</summary>
internal static class ResponsesResponseDecoder
{
    public static HubResponse Decode(Response response)
    {
        if (response.Status == "failed")
        {
            throw ResponsesFailures.From(response.Error?.Code, response.Error?.Message);
        }
        var hub = new HubResponse
        {
            Id = response.Id,
            Model = response.Model,
            Created = response.CreatedAt,
            Usage = ResponsesUsage.Decode(response.Usage),
        };
        var calledTools = false;
        foreach (var item in response.Output ?? [])
        {
            switch (item.Type)
            {
                case "reasoning":
                    hub.Content.Add(new ReasoningPart(
                        ResponsesReasoning.Text(item.Summary, item.Content),
                        ResponsesReasoning.FromPlatform(item.Id, item.EncryptedContent)) { Id = item.Id, Origin = SignatureOrigin.OpenAI });
                    break;
                case "message":
                    foreach (var part in item.Content ?? [])
                    {
                        if (part.Type == "refusal")
                        {
                            hub.Content.Add(new RefusalPart(part.Refusal ?? ""));
                        }
                        else if (part.Type == "output_text")
                        {
                            hub.Content.Add(new TextPart(part.Text ?? ""));
                        }
                    }
                    break;
                case "function_call":
                    hub.Content.Add(new ToolCallPart(item.CallId ?? item.Id ?? "", item.Name ?? "", item.Arguments ?? ""));
                    calledTools = true;
                    break;
                default:
                    // Built-in tool calls, which a converted request never enables.
                    break;
            }
        }
        hub.FinishReason = FinishReason(response.Status, response.IncompleteDetails?.Reason, calledTools);
        return hub;
    }

    public static HubFinishReason FinishReason(string? status, string? incompleteReason, bool calledTools) => status switch
    {
        "incomplete" when incompleteReason == "content_filter" => HubFinishReason.ContentFilter,
        "incomplete" => HubFinishReason.Length,
        _ when calledTools => HubFinishReason.ToolCalls,
        _ => HubFinishReason.Stop,
    };
}
