using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>
/// Anthropic's event stream in hub events. message_start opens the stream and reports the input usage; each
/// content block's start, deltas and stop become text, reasoning (thinking_delta, signature_delta,
/// redacted_thinking) or a tool call (numbered from 0 in block order, arguments from input_json_delta);
/// message_delta carries the stop reason and the cumulative usage, and message_stop ends the answer.
/// ping events carry nothing; citations_delta is dropped as in complete answers.
/// </summary>
internal sealed class MessagesStreamDecoder(HubRequest request, long created = 0) : IStreamDecoder<MessageStreamEvent>
{
    private enum BlockKind
    {
        Text,
        Thinking,
        Tool,
        Ignored,
    }

    // Content block index (Anthropic's) → what it is and, for tool calls, the hub's call index and whether it has streamed arguments.
    private readonly Dictionary<long, (BlockKind Kind, int Tool, bool HasArguments)> _blocks = [];
    private int _tools;
    private bool _started;
    private bool _finished;
    private Usage? _startUsage;
    private MessageDeltaUsage? _finalUsage;
    private string? _stopReason;
    private string? _stopSequence;

    public void Decode(MessageStreamEvent chunk, List<HubStreamEvent> output)
    {
        if (_finished)
        {
            return;
        }
        switch (chunk.Type)
        {
            case "message_start":
                Start(chunk.Message, output);
                break;
            case "content_block_start" when chunk.ContentBlock is { } block:
                EnsureStarted(output);
                StartBlock(chunk.Index ?? _blocks.Count, block, output);
                break;
            case "content_block_delta" when chunk.Delta is { } delta:
                EnsureStarted(output);
                Delta(chunk.Index ?? 0, delta, output);
                break;
            case "content_block_stop":
                StopBlock(chunk.Index ?? 0, output);
                break;
            case "message_delta":
                _stopReason = chunk.Delta?.StopReason ?? _stopReason;
                _stopSequence = chunk.Delta?.StopSequence ?? _stopSequence;
                _finalUsage = chunk.Usage ?? _finalUsage;
                break;
            case "message_stop":
                EnsureStarted(output);
                End(output);
                break;
            case "error":
                // Adapters turn error events into exceptions; one that relays the event still ends the stream as an error.
                throw MessagesCodec.StreamError(chunk.Error);
        }
    }

    public void Finish(List<HubStreamEvent> output)
    {
        if (!_finished)
        {
            EnsureStarted(output);
            End(output);
        }
    }

    private void Start(Message? message, List<HubStreamEvent> output)
    {
        if (_started)
        {
            return;
        }
        _started = true;
        _startUsage = message?.Usage;
        output.Add(new StreamStarted(message?.Id ?? "", message?.Model ?? request.Model, created) { Usage = MessagesUsage.Decode(_startUsage) });
    }

    private void EnsureStarted(List<HubStreamEvent> output)
    {
        if (!_started)
        {
            Start(null, output);
        }
    }

    private void StartBlock(long index, ContentBlock block, List<HubStreamEvent> output)
    {
        switch (block.Type)
        {
            case "text":
                _blocks[index] = (BlockKind.Text, -1, false);
                if (!string.IsNullOrEmpty(block.Text))
                {
                    output.Add(new TextDelta(block.Text));
                }
                break;
            case "thinking":
                _blocks[index] = (BlockKind.Thinking, -1, false);
                if (!string.IsNullOrEmpty(block.Thinking))
                {
                    output.Add(new ReasoningDelta(block.Thinking));
                }
                if (!string.IsNullOrEmpty(block.Signature))
                {
                    output.Add(new ReasoningSignature(block.Signature, SignatureOrigin.Anthropic));
                }
                break;
            case "redacted_thinking":
                _blocks[index] = (BlockKind.Ignored, -1, false);
                output.Add(new RedactedReasoning(block.Data ?? ""));
                break;
            case "tool_use":
                var tool = _tools++;
                output.Add(new ToolCallStarted(tool, block.Id ?? "", block.Name ?? ""));
                // The start carries an empty input that input_json_delta fills; a non-empty one is the whole input.
                var initial = MessagesCodec.ToolArguments(block.Input);
                var hasArguments = initial != "{}";
                if (hasArguments)
                {
                    output.Add(new ToolCallArgumentsDelta(tool, initial));
                }
                _blocks[index] = (BlockKind.Tool, tool, hasArguments);
                break;
            default:
                // Server tool blocks: a converted request never asks for server tools.
                _blocks[index] = (BlockKind.Ignored, -1, false);
                break;
        }
    }

    private void Delta(long index, MessageStreamDelta delta, List<HubStreamEvent> output)
    {
        if (!_blocks.TryGetValue(index, out var block))
        {
            return;
        }
        switch (delta.Type)
        {
            case "text_delta" when !string.IsNullOrEmpty(delta.Text):
                output.Add(new TextDelta(delta.Text));
                break;
            case "thinking_delta" when !string.IsNullOrEmpty(delta.Thinking):
                output.Add(new ReasoningDelta(delta.Thinking));
                break;
            case "signature_delta" when !string.IsNullOrEmpty(delta.Signature):
                output.Add(new ReasoningSignature(delta.Signature, SignatureOrigin.Anthropic));
                break;
            case "input_json_delta" when block.Kind == BlockKind.Tool && !string.IsNullOrEmpty(delta.PartialJson):
                output.Add(new ToolCallArgumentsDelta(block.Tool, delta.PartialJson));
                _blocks[index] = block with { HasArguments = true };
                break;
        }
    }

    private void StopBlock(long index, List<HubStreamEvent> output)
    {
        // A call without parameters may stream no JSON at all: its arguments are the empty object, as in a complete answer.
        if (_blocks.TryGetValue(index, out var block) && block is { Kind: BlockKind.Tool, HasArguments: false })
        {
            output.Add(new ToolCallArgumentsDelta(block.Tool, "{}"));
            _blocks[index] = block with { HasArguments = true };
        }
    }

    private void End(List<HubStreamEvent> output)
    {
        // Blocks the platform never stopped (a stream cut short) still close their calls.
        foreach (var index in _blocks.Where(static b => b.Value is { Kind: BlockKind.Tool, HasArguments: false }).Select(static b => b.Key).ToList())
        {
            StopBlock(index, output);
        }
        _finished = true;
        output.Add(new StreamFinished(MessagesStopReasons.Decode(_stopReason), FinalUsage(), _stopSequence));
    }

    /// <summary>message_delta's counts are cumulative and win; input counts it leaves out come from message_start.</summary>
    private HubUsage? FinalUsage()
    {
        if (_startUsage is null && _finalUsage is null)
        {
            return null;
        }
        return MessagesUsage.Hub(
            _finalUsage?.InputTokens ?? _startUsage?.InputTokens ?? 0,
            _finalUsage?.OutputTokens ?? _startUsage?.OutputTokens ?? 0,
            _finalUsage?.CacheReadInputTokens ?? _startUsage?.CacheReadInputTokens,
            _finalUsage?.CacheCreationInputTokens ?? _startUsage?.CacheCreationInputTokens,
            _finalUsage?.OutputTokensDetails ?? _startUsage?.OutputTokensDetails);
    }
}
