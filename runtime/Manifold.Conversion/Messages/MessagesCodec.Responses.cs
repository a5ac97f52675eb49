using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Messages;

public sealed partial class MessagesCodec
{
    /// <summary>
    /// An Anthropic platform's answer in hub terms. Citations on text blocks are dropped (no other protocol has
    /// Anthropic's document citations); server tool blocks cannot occur, since a converted request never asks
    /// for server tools, and are skipped should an upstream send them anyway.
    /// </summary>
    public override HubResponse DecodeResponse(Message response)
    {
        var hub = new HubResponse
        {
            Id = response.Id,
            Model = response.Model,
            FinishReason = MessagesStopReasons.Decode(response.StopReason),
            StopSequence = response.StopSequence,
            Usage = MessagesUsage.Decode(response.Usage),
        };
        foreach (var block in response.Content ?? [])
        {
            switch (block?.Type)
            {
                case "text":
                    hub.Content.Add(new TextPart(block.Text ?? ""));
                    break;
                case "thinking":
                    hub.Content.Add(string.IsNullOrEmpty(block.Signature)
                        ? new ReasoningPart(block.Thinking ?? "")
                        : new ReasoningPart(block.Thinking ?? "", block.Signature) { Origin = SignatureOrigin.Anthropic });
                    break;
                case "redacted_thinking":
                    hub.Content.Add(new ReasoningPart("") { Redacted = block.Data ?? "" });
                    break;
                case "tool_use":
                    hub.Content.Add(new ToolCallPart(block.Id ?? "", block.Name ?? "", ToolArguments(block.Input)));
                    break;
            }
        }
        return hub;
    }

    /// <summary>
    /// The complete answer for an Anthropic client. Reasoning becomes thinking blocks unless
    /// <c>close_reasoning_content</c>; refusals become text, since the refusal stop reason is how Anthropic says it.
    /// A block's signature is the platform's, tagged with its origin (<see cref="SignatureOrigin"/>), so that the
    /// client sending it back lets Manifold send it only where it verifies.
    /// <para>
    /// Reasoning no platform signed (Gemini thoughts without a signature, DeepSeek's reasoning_content) still shows,
    /// with an empty signature: the field is required, Anthropic's SDKs accept "" (every streamed thinking block
    /// starts with it, see <see cref="MessagesStreamEncoder"/>), and hiding the reasoning a caller asked for would
    /// lose it. Such a block is not valid history for Anthropic itself, so when the client sends it back,
    /// <see cref="EncodeRequest"/> leaves it out (an empty signature decodes as none).
    /// </para>
    /// </summary>
    public override Message EncodeResponse(HubResponse response, HubRequest request)
    {
        var content = new List<ContentBlock>(response.Content.Count);
        var showReasoning = !request.Output.SuppressReasoning;
        for (var i = 0; i < response.Content.Count; i++)
        {
            switch (response.Content[i])
            {
                case TextPart text:
                    content.Add(new ContentBlock { Type = "text", Text = text.Text });
                    break;
                case RefusalPart refusal:
                    content.Add(new ContentBlock { Type = "text", Text = refusal.Text });
                    break;
                case ReasoningPart { Redacted: { } data } when showReasoning:
                    content.Add(new ContentBlock { Type = "redacted_thinking", Data = data });
                    break;
                case ReasoningPart reasoning when showReasoning && (reasoning.Text.Length > 0 || reasoning.Signature is not null):
                    // A signature alone (Gemini signs function calls) still becomes a block: a client that sends
                    // the message back returns it, and the call it belongs to keeps its signature.
                    content.Add(new ContentBlock
                    {
                        Type = "thinking",
                        Thinking = reasoning.Text,
                        Signature = reasoning.Signature is { } signature ? SignatureOrigin.Tag(signature, reasoning.Origin) : "",
                    });
                    break;
                case ToolCallPart call:
                    content.Add(ToolUseBlock(call.Id, call.Name, AnswerInput(call.Arguments)));
                    break;
            }
            // Media in an answer (Gemini image output) has no Anthropic block; a converted request cannot ask
            // for it (there is no Anthropic field for output modalities), so nothing is lost.
        }
        return new Message
        {
            Id = MessageId(response.Id),
            Model = response.Model.Length > 0 ? response.Model : request.Model,
            Content = content,
            StopReason = MessagesStopReasons.Encode(response.FinishReason, response.StopSequence),
            StopSequence = response.FinishReason == HubFinishReason.Stop ? response.StopSequence : null,
            Usage = MessagesUsage.Encode(response.Usage),
        };
    }

    /// <summary>
    /// A finished tool call's input. A model that produced arguments that are not JSON still made the call:
    /// the text is kept as a JSON string rather than failing an answer that is already paid for.
    /// </summary>
    internal static System.Text.Json.JsonElement AnswerInput(string arguments)
    {
        try
        {
            return ToolInput(arguments, "arguments");
        }
        catch (Pipeline.ConversionException)
        {
            return System.Text.Json.JsonSerializer.SerializeToElement(arguments);
        }
    }
}
