using System.Text;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Chat;

public sealed partial class ChatCodec
{
    /// <summary>
    /// A Chat platform's complete answer. Only the first choice is read: a converted request never asks for
    /// more (<c>n</c> above 1 is refused on the way in).
    /// </summary>
    public override HubResponse DecodeResponse(CreateChatCompletionResponse response)
    {
        var hub = new HubResponse { Id = response.Id, Model = response.Model, Created = response.Created };
        if (response.Usage is { } usage)
        {
            hub.Usage = ChatUsage.Decode(usage);
        }
        var choice = response.Choices.Find(static c => c.Index == 0) ?? response.Choices.FirstOrDefault();
        if (choice is null)
        {
            return hub;
        }
        var message = choice.Message;
        var content = new List<HubPart>(2);
        if (!string.IsNullOrEmpty(message.Content))
        {
            content.Add(new TextPart(message.Content));
        }
        if (!string.IsNullOrEmpty(message.Refusal))
        {
            content.Add(new RefusalPart(message.Refusal));
        }
        var calls = new List<ToolCallPart>(message.ToolCalls?.Count ?? 1);
        foreach (var call in message.ToolCalls ?? [])
        {
            // Only function tools are ever sent, so only function calls come back.
            if (call.Function is { } function)
            {
                calls.Add(new ToolCallPart(call.Id, function.Name, function.Arguments));
            }
        }
        if (message.FunctionCall is { } legacy)
        {
            calls.Add(new ToolCallPart("call_0", legacy.Name, legacy.Arguments));
        }
        var reasoning = ReasoningText(message.ReasoningContent, message.AdditionalProperties);
        hub.Content.AddRange(AssistantParts(reasoning, message.ReasoningSignature, "choices[0].message", content, calls));
        hub.FinishReason = ChatFinishReasons.Decode(choice.FinishReason);
        return hub;
    }

    /// <summary>
    /// The answer for a Chat client. Reasoning text is shown in <c>reasoning_content</c> only when the caller
    /// asked (<c>return_reasoning_content</c>); the <c>reasoning_signature</c> token is returned unless the caller
    /// closed reasoning output (<c>close_reasoning_content</c>), so that echoing the message back continues the
    /// conversation on a platform that signs its reasoning.
    /// </summary>
    public override CreateChatCompletionResponse EncodeResponse(HubResponse response, HubRequest request)
    {
        StringBuilder? text = null;
        StringBuilder? refusal = null;
        List<ChatCompletionMessageToolCall>? calls = null;
        foreach (var part in response.Content)
        {
            switch (part)
            {
                case TextPart t:
                    (text ??= new()).Append(t.Text);
                    break;
                case RefusalPart r:
                    (refusal ??= new()).Append(r.Text);
                    break;
                case ToolCallPart call:
                    (calls ??= []).Add(new ChatCompletionMessageToolCall
                    {
                        Id = call.Id,
                        Type = "function",
                        Function = new ChatCompletionMessageToolCallFunction { Name = call.Name, Arguments = call.Arguments },
                    });
                    break;
            }
        }
        var output = request.Output;
        var (reasoning, token) = ChatReasoning.Encode(response.Content,
            showText: output.ReasoningAsContent && !output.SuppressReasoning, withToken: !output.SuppressReasoning);
        return new CreateChatCompletionResponse
        {
            Id = ChatId(response.Id),
            Created = Created(response.Created),
            Model = response.Model,
            Choices =
            [
                new CreateChatCompletionResponseChoice
                {
                    Index = 0,
                    Message = new ChatCompletionResponseMessage
                    {
                        Content = text?.ToString(),
                        Refusal = refusal?.ToString(),
                        ReasoningContent = reasoning,
                        ReasoningSignature = token,
                        ToolCalls = calls,
                    },
                    FinishReason = ChatFinishReasons.Encode(response.FinishReason),
                },
            ],
            Usage = response.Usage is { } usage ? ChatUsage.Encode(usage) : null,
        };
    }
}
