using System.Text;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Chat;

/// <summary>
/// Hub events into the chunk sequence OpenAI sends, which Chat clients' accumulators rely on: every chunk has
/// the same id, created, model and <c>object: chat.completion.chunk</c>; the first delta is
/// <c>{role: assistant, content: ""}</c>; a tool call's first delta has its index, id, type and name with empty
/// arguments, later ones argument fragments by index; then a chunk with an empty delta and the finish_reason;
/// then, only when the caller asked (<c>stream_options.include_usage</c>), a chunk with <c>choices: []</c> and
/// the usage.
/// <para>
/// Reasoning follows <see cref="ChatCodec.EncodeResponse"/>: <c>reasoning_content</c> deltas only with
/// <c>return_reasoning_content</c>; the <c>reasoning_signature</c> token whole, in one delta right before the
/// finish chunk (accumulators keep the last value of fields they do not know, so it must not be split), unless
/// <c>close_reasoning_content</c>. The turn's reasoning is remembered until then because the token may need it.
/// </para>
/// </summary>
internal sealed class ChatStreamEncoder : IStreamEncoder<CreateChatCompletionStreamResponse>
{
    private readonly HubRequest _request;
    private readonly bool _showReasoning;
    private readonly bool _withToken;

    /// <summary>The turn's parts as far as the token needs them: reasoning in full, text and calls as markers.</summary>
    private readonly List<HubPart> _layout = [];
    private readonly StringBuilder _reasoning = new();
    private bool _textMarked;
    private string _id = "";
    private string _model = "";
    private long _created;
    private bool _started;
    private bool _finished;
    private HubUsage? _usage;

    public ChatStreamEncoder(HubRequest request)
    {
        _request = request;
        _showReasoning = request.Output.ReasoningAsContent && !request.Output.SuppressReasoning;
        _withToken = !request.Output.SuppressReasoning;
    }

    public void Encode(HubStreamEvent hubEvent, List<CreateChatCompletionStreamResponse> output)
    {
        if (_finished)
        {
            return;
        }
        if (!_started && hubEvent is not StreamStarted)
        {
            Start(new StreamStarted("", _request.Model, 0), output);
        }
        switch (hubEvent)
        {
            case StreamStarted started:
                Start(started, output);
                break;
            case TextDelta { Text.Length: > 0 } text:
                MarkContent();
                output.Add(Chunk(new ChatCompletionStreamResponseDelta { Content = text.Text }));
                break;
            case RefusalDelta { Text.Length: > 0 } refusal:
                MarkContent();
                output.Add(Chunk(new ChatCompletionStreamResponseDelta { Refusal = refusal.Text }));
                break;
            case ReasoningDelta { Text.Length: > 0 } reasoning:
                if (_withToken)
                {
                    _reasoning.Append(reasoning.Text);
                }
                if (_showReasoning)
                {
                    output.Add(Chunk(new ChatCompletionStreamResponseDelta { ReasoningContent = reasoning.Text }));
                }
                break;
            case ReasoningSignature signature:
                _layout.Add(new ReasoningPart(_reasoning.ToString(), signature.Signature) { Origin = signature.Origin });
                _reasoning.Clear();
                break;
            case RedactedReasoning redacted:
                CloseReasoning();
                _layout.Add(new ReasoningPart("") { Redacted = redacted.Data });
                break;
            case ToolCallStarted call:
                CloseReasoning();
                _layout.Add(new ToolCallPart(call.Id, call.Name, ""));
                output.Add(Chunk(new ChatCompletionStreamResponseDelta
                {
                    ToolCalls =
                    [
                        new ChatCompletionMessageToolCallChunk
                        {
                            Index = call.Index,
                            Id = call.Id,
                            Type = "function",
                            Function = new ChatCompletionMessageToolCallChunkFunction { Name = call.Name, Arguments = "" },
                        },
                    ],
                }));
                break;
            case ToolCallArgumentsDelta { Json.Length: > 0 } arguments:
                output.Add(Chunk(new ChatCompletionStreamResponseDelta
                {
                    ToolCalls =
                    [
                        new ChatCompletionMessageToolCallChunk
                        {
                            Index = arguments.Index,
                            Function = new ChatCompletionMessageToolCallChunkFunction { Arguments = arguments.Json },
                        },
                    ],
                }));
                break;
            case UsageReported reported:
                _usage = reported.Usage;
                break;
            case StreamFinished finished:
                End(finished, output);
                break;
        }
    }

    public void Finish(List<CreateChatCompletionStreamResponse> output)
    {
        // The platform stopped without a reason: close the stream as OpenAI would, so clients see a whole answer.
        Encode(new StreamFinished(HubFinishReason.Stop), output);
    }

    private void Start(StreamStarted started, List<CreateChatCompletionStreamResponse> output)
    {
        if (_started)
        {
            return;
        }
        _started = true;
        _id = ChatCodec.ChatId(started.Id);
        _model = started.Model.Length > 0 ? started.Model : _request.Model;
        _created = ChatCodec.Created(started.Created);
        _usage = started.Usage;
        output.Add(Chunk(new ChatCompletionStreamResponseDelta { Role = "assistant", Content = "" }));
    }

    private void End(StreamFinished finished, List<CreateChatCompletionStreamResponse> output)
    {
        _finished = true;
        CloseReasoning();
        if (_withToken && ChatReasoning.Encode(_layout, _showReasoning, withToken: true).Token is { } token)
        {
            output.Add(Chunk(new ChatCompletionStreamResponseDelta { ReasoningSignature = token }));
        }
        output.Add(Chunk(new ChatCompletionStreamResponseDelta(), ChatFinishReasons.Encode(finished.Reason)));
        var usage = finished.Usage ?? _usage;
        // Usage the platform never reported is left out rather than made up as zeros.
        if (_request.StreamUsage && usage is not null)
        {
            output.Add(new CreateChatCompletionStreamResponse
            {
                Id = _id,
                Created = _created,
                Model = _model,
                Choices = [],
                Usage = ChatUsage.Encode(usage),
            });
        }
    }

    /// <summary>Reasoning text not closed by a signature ends where the next kind of output begins.</summary>
    private void CloseReasoning()
    {
        if (_reasoning.Length > 0)
        {
            _layout.Add(new ReasoningPart(_reasoning.ToString()));
            _reasoning.Clear();
        }
    }

    private void MarkContent()
    {
        CloseReasoning();
        if (!_textMarked)
        {
            _textMarked = true;
            _layout.Add(new TextPart(""));
        }
    }

    private CreateChatCompletionStreamResponse Chunk(ChatCompletionStreamResponseDelta delta, string? finishReason = null) => new()
    {
        Id = _id,
        Created = _created,
        Model = _model,
        Choices = [new CreateChatCompletionStreamResponseChoice { Index = 0, Delta = delta, FinishReason = finishReason }],
    };
}
