using System.Text;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>
/// Hub events into the event grammar Anthropic clients' accumulators rely on: message_start (the message with
/// empty content and the usage known so far), then for each content block in order content_block_start,
/// content_block_delta*, content_block_stop, with indexes 0, 1, 2…; then message_delta with the stop reason
/// and cumulative usage, and message_stop.
/// <para>
/// Anthropic blocks are sequential, while a hub stream may interleave the argument deltas of parallel tool
/// calls. A call streams live; when the next one starts, the live one is closed if its arguments are already a
/// complete JSON value (nothing valid can follow), which is how OpenAI and Gemini send calls, one after another.
/// Otherwise the new call, and any after it, are buffered whole and written, one block each, once the live call
/// is over (when anything else arrives, or the answer ends).
/// Reasoning becomes thinking blocks (a signature, tagged with its origin, closes one) unless
/// <c>close_reasoning_content</c>, in which case it never opens a block, so indexes stay dense. Reasoning no
/// platform signed ends with the empty signature its block started with, as in complete answers
/// (<see cref="MessagesCodec.EncodeResponse"/> says why).
/// </para>
/// </summary>
internal sealed class MessagesStreamEncoder(HubRequest request) : IStreamEncoder<MessageStreamEvent>
{
    private enum Block
    {
        None,
        Text,
        Thinking,
        Tool,
    }

    private readonly bool _showReasoning = !request.Output.SuppressReasoning;
    private readonly List<(int Index, string Id, string Name, StringBuilder Arguments)> _pendingCalls = [];
    private readonly StringBuilder _liveArguments = new();
    private Block _open;
    private long _openIndex = -1;
    private long _nextIndex;
    private bool _thinkingSigned;
    private int _liveCall = -1;
    private bool _started;
    private bool _finished;
    private HubUsage? _usage;

    public void Encode(HubStreamEvent hubEvent, List<MessageStreamEvent> output)
    {
        if (_finished)
        {
            return;
        }
        if (!_started && hubEvent is not StreamStarted)
        {
            Start(new StreamStarted("", request.Model, 0), output);
        }
        switch (hubEvent)
        {
            case StreamStarted started:
                Start(started, output);
                break;
            case TextDelta { Text.Length: > 0 } text:
                Text(text.Text, output);
                break;
            case RefusalDelta { Text.Length: > 0 } refusal:
                // Anthropic has no refusal block: the refusal is what the model says, and the refusal stop reason marks it.
                Text(refusal.Text, output);
                break;
            case ReasoningDelta { Text.Length: > 0 } reasoning when _showReasoning:
                EnsureThinking(output);
                output.Add(Delta(new MessageStreamDelta { Type = "thinking_delta", Thinking = reasoning.Text }));
                break;
            case ReasoningSignature signature when _showReasoning:
                // A signature ends the thinking it signs; one with no thinking before it (Gemini signs calls) gets a block of its own.
                EnsureThinking(output);
                output.Add(Delta(new MessageStreamDelta { Type = "signature_delta", Signature = SignatureOrigin.Tag(signature.Signature, signature.Origin) }));
                _thinkingSigned = true;
                break;
            case RedactedReasoning redacted when _showReasoning:
                CloseAll(output);
                Open(Block.None, new ContentBlock { Type = "redacted_thinking", Data = redacted.Data }, output);
                Close(output);
                break;
            case ToolCallStarted call:
                StartCall(call, output);
                break;
            case ToolCallArgumentsDelta arguments:
                CallArguments(arguments, output);
                break;
            case UsageReported reported:
                _usage = reported.Usage;
                break;
            case StreamFinished finished:
                End(finished.Reason, finished.Usage ?? _usage, finished.StopSequence, output);
                break;
        }
    }

    public void Finish(List<MessageStreamEvent> output)
    {
        if (!_started)
        {
            Start(new StreamStarted("", request.Model, 0), output);
        }
        if (!_finished)
        {
            // The platform stopped without saying why: close what is open so the caller's message is well formed.
            End(HubFinishReason.Stop, _usage, null, output);
        }
    }

    private void Start(StreamStarted started, List<MessageStreamEvent> output)
    {
        if (_started)
        {
            return;
        }
        _started = true;
        _usage = started.Usage ?? _usage;
        output.Add(new MessageStreamEvent
        {
            Type = "message_start",
            Message = new Message
            {
                Id = MessagesCodec.MessageId(started.Id),
                Model = started.Model.Length > 0 ? started.Model : request.Model,
                Content = [],
                // Input counts the platform only reports at the end (OpenAI) are zero here and arrive in message_delta.
                Usage = MessagesUsage.Encode(started.Usage),
            },
        });
    }

    private void Text(string text, List<MessageStreamEvent> output)
    {
        if (_open != Block.Text)
        {
            CloseAll(output);
            Open(Block.Text, new ContentBlock { Type = "text", Text = "" }, output);
        }
        output.Add(Delta(new MessageStreamDelta { Type = "text_delta", Text = text }));
    }

    private void EnsureThinking(List<MessageStreamEvent> output)
    {
        if (_open == Block.Thinking && !_thinkingSigned)
        {
            return;
        }
        CloseAll(output);
        Open(Block.Thinking, new ContentBlock { Type = "thinking", Thinking = "", Signature = "" }, output);
        _thinkingSigned = false;
    }

    private void StartCall(ToolCallStarted call, List<MessageStreamEvent> output)
    {
        if (_pendingCalls.Count == 0 && (_liveCall < 0 || IsCompleteJson(_liveArguments)))
        {
            CloseAll(output);
            Open(Block.Tool, ToolBlock(call.Id, call.Name), output);
            _liveCall = call.Index;
            return;
        }
        _pendingCalls.Add((call.Index, call.Id, call.Name, new StringBuilder()));
    }

    private static bool IsCompleteJson(StringBuilder arguments)
    {
        if (arguments.Length == 0)
        {
            return false;
        }
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(arguments.ToString());
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private void CallArguments(ToolCallArgumentsDelta arguments, List<MessageStreamEvent> output)
    {
        if (arguments.Json.Length == 0)
        {
            return;
        }
        if (arguments.Index == _liveCall)
        {
            _liveArguments.Append(arguments.Json);
            output.Add(Delta(new MessageStreamDelta { Type = "input_json_delta", PartialJson = arguments.Json }));
            return;
        }
        foreach (var pending in _pendingCalls)
        {
            if (pending.Index == arguments.Index)
            {
                pending.Arguments.Append(arguments.Json);
                return;
            }
        }
        // A call already written: its JSON was complete when the next call started, so nothing valid can follow it.
    }

    /// <summary>Closes the open block and writes the buffered tool calls, each as one complete block.</summary>
    private void CloseAll(List<MessageStreamEvent> output)
    {
        Close(output);
        _liveCall = -1;
        _liveArguments.Clear();
        foreach (var (_, id, name, arguments) in _pendingCalls)
        {
            Open(Block.Tool, ToolBlock(id, name), output);
            if (arguments.Length > 0)
            {
                output.Add(Delta(new MessageStreamDelta { Type = "input_json_delta", PartialJson = arguments.ToString() }));
            }
            Close(output);
        }
        _pendingCalls.Clear();
    }

    private void End(HubFinishReason reason, HubUsage? usage, string? stopSequence, List<MessageStreamEvent> output)
    {
        CloseAll(output);
        _finished = true;
        output.Add(new MessageStreamEvent
        {
            Type = "message_delta",
            Delta = new MessageStreamDelta
            {
                StopReason = MessagesStopReasons.Encode(reason, stopSequence),
                StopSequence = reason == HubFinishReason.Stop ? stopSequence : null,
                // Written as null, as the API does: no converted answer has a refusal's details or a container.
                StopDetails = null,
                Container = null,
            },
            Usage = usage is null ? new MessageDeltaUsage { OutputTokens = 0 } : MessagesUsage.EncodeDelta(usage),
        });
        output.Add(new MessageStreamEvent { Type = "message_stop" });
    }

    private void Open(Block kind, ContentBlock block, List<MessageStreamEvent> output)
    {
        _open = kind;
        _openIndex = _nextIndex++;
        output.Add(new MessageStreamEvent { Type = "content_block_start", Index = _openIndex, ContentBlock = block });
    }

    private void Close(List<MessageStreamEvent> output)
    {
        if (_openIndex < 0)
        {
            return;
        }
        output.Add(new MessageStreamEvent { Type = "content_block_stop", Index = _openIndex });
        _open = Block.None;
        _openIndex = -1;
    }

    private MessageStreamEvent Delta(MessageStreamDelta delta) => new() { Type = "content_block_delta", Index = _openIndex, Delta = delta };

    private static ContentBlock ToolBlock(string id, string name) => MessagesCodec.ToolUseBlock(id, name, MessagesCodec.EmptyObject);
}
