using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Responses;

/// <summary>A hub answer as the response object a Responses client expects.</summary>
internal static class ResponsesResponseEncoder
{
    public static Response Encode(HubResponse answer, HubRequest request)
    {
        var (status, details) = ResponsesEcho.Outcome(answer.FinishReason);
        var response = ResponsesEcho.Create(request, ResponsesIds.Response(answer.Id), answer.Model, answer.Created, status);
        response.IncompleteDetails = details;
        if (answer.Usage is { } usage)
        {
            response.Usage = ResponsesUsage.Encode(usage);
        }
        var core = ResponsesIds.Core(response.Id);
        var showReasoning = !request.Output.SuppressReasoning;
        ResponseOutputItem? message = null;
        foreach (var part in answer.Content)
        {
            switch (part)
            {
                case TextPart text:
                    Message(response, ref message, core, status).Content!.Add(OutputText(text.Text));
                    break;
                case RefusalPart refusal:
                    Message(response, ref message, core, status).Content!.Add(new ResponseContentPart { Type = "refusal", Refusal = refusal.Text });
                    break;
                case ReasoningPart reasoning when showReasoning:
                    message = null;
                    response.Output.Add(Reasoning(reasoning, ResponsesIds.Reasoning(core, response.Output.Count)));
                    break;
                case ToolCallPart call:
                    message = null;
                    response.Output.Add(FunctionCall(call.Id, call.Name, call.Arguments, ResponsesEcho.Completed));
                    break;
            }
        }
        return response;
    }

    /// <summary>An output_text part; the API always sends <c>annotations</c> and <c>logprobs</c>, empty when there are none.</summary>
    public static ResponseContentPart OutputText(string text) => new() { Type = "output_text", Text = text, Annotations = [], Logprobs = [] };

    /// <summary>A finished reasoning item; its own id when it came from a Responses client or platform, <paramref name="fallbackId"/> otherwise.</summary>
    public static ResponseOutputItem Reasoning(ReasoningPart part, string fallbackId) => new()
    {
        Type = "reasoning",
        Id = ResponsesReasoning.ClientId(part) ?? fallbackId,
        Summary = part.Text.Length == 0 ? [] : [new ResponseContentPart { Type = "summary_text", Text = part.Text }],
        EncryptedContent = ResponsesReasoning.ToClient(part),
    };

    public static ResponseOutputItem FunctionCall(string callId, string name, string arguments, string status) => new()
    {
        Type = "function_call",
        Id = ResponsesIds.FunctionCall(callId),
        Status = status,
        CallId = callId,
        Name = name,
        Arguments = arguments,
    };

    /// <summary>The message item text goes into: the one being filled, or a new one after any other item.</summary>
    private static ResponseOutputItem Message(Response response, ref ResponseOutputItem? message, string core, string status)
    {
        if (message is null)
        {
            message = new ResponseOutputItem
            {
                Type = "message",
                Id = ResponsesIds.Message(core, response.Output.Count),
                // A message cut off by the token limit is itself incomplete.
                Status = status,
                Role = "assistant",
                Content = [],
            };
            response.Output.Add(message);
        }
        return message;
    }
}
