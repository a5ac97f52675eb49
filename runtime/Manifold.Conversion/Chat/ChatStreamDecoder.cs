using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Chat;

/// <summary>
/// A Chat platform's stream chunks into hub events. OpenAI sends: a role chunk, content / refusal / tool-call
/// deltas, a chunk with <c>finish_reason</c>, then (with <c>stream_options.include_usage</c>, which
/// <see cref="ChatTarget"/> always sets) a chunk with <c>choices: []</c> and the usage. Compatible services
/// vary: DeepSeek adds <c>reasoning_content</c> deltas, some put the usage on the finish chunk, some send a
/// tool call's name after its first delta. So the finish is held until the stream ends, when the usage is known.
/// </summary>
internal sealed class ChatStreamDecoder(HubRequest request) : IStreamDecoder<CreateChatCompletionStreamResponse>
{
    /// <summary>A tool call by its upstream index: the hub index once started, and arguments that came before its name.</summary>
    private sealed class PendingCall
    {
        public string? Id;
        public string? Name;
        public int HubIndex = -1;
        public string? EarlyArguments;
    }

    private readonly Dictionary<long, PendingCall> _calls = [];
    private int _started;
    private bool _begun;
    private bool _reasoningStreamed;
    private string? _finishReason;
    private HubUsage? _usage;

    public void Decode(CreateChatCompletionStreamResponse chunk, List<HubStreamEvent> output)
    {
        if (!_begun)
        {
            _begun = true;
            output.Add(new StreamStarted(chunk.Id, chunk.Model, chunk.Created));
        }
        if (chunk.Usage is { } usage)
        {
            _usage = ChatUsage.Decode(usage);
        }
        foreach (var choice in chunk.Choices ?? [])
        {
            // Only the first choice is asked for (n is never above 1 when converting).
            if (choice.Index != 0)
            {
                continue;
            }
            if (choice.Delta is { } delta)
            {
                DecodeDelta(delta, output);
            }
            if (choice.FinishReason is { } reason)
            {
                _finishReason = reason;
            }
        }
    }

    public void Finish(List<HubStreamEvent> output)
    {
        if (!_begun)
        {
            _begun = true;
            output.Add(new StreamStarted("", request.Model, 0));
        }
        // A call whose name never came still has to be reported, with what arrived.
        foreach (var call in _calls.OrderBy(static c => c.Key).Select(static c => c.Value))
        {
            if (call.HubIndex < 0)
            {
                StartCall(call, output);
            }
        }
        var reason = _finishReason is null && _started > 0 ? HubFinishReason.ToolCalls : ChatFinishReasons.Decode(_finishReason);
        output.Add(new StreamFinished(reason, _usage));
    }

    private void DecodeDelta(ChatCompletionStreamResponseDelta delta, List<HubStreamEvent> output)
    {
        if (ChatCodec.ReasoningText(delta.ReasoningContent, delta.AdditionalProperties) is { Length: > 0 } reasoning)
        {
            _reasoningStreamed = true;
            output.Add(new ReasoningDelta(reasoning));
        }
        if (delta.ReasoningSignature is { Length: > 0 } token)
        {
            DecodeToken(token, output);
        }
        if (!string.IsNullOrEmpty(delta.Content))
        {
            output.Add(new TextDelta(delta.Content));
        }
        if (!string.IsNullOrEmpty(delta.Refusal))
        {
            output.Add(new RefusalDelta(delta.Refusal));
        }
        foreach (var call in delta.ToolCalls ?? [])
        {
            DecodeCall(call.Index, call.Id, call.Function?.Name, call.Function?.Arguments, output);
        }
        if (delta.FunctionCall is { } legacy)
        {
            DecodeCall(0, "call_0", legacy.Name, legacy.Arguments, output);
        }
    }

    /// <summary>
    /// A <c>reasoning_signature</c> from an upstream that is itself a Manifold. Its text already streamed as
    /// <c>reasoning_content</c> when shown; what the stream lacks is the signatures and redacted blocks.
    /// </summary>
    private void DecodeToken(string token, List<HubStreamEvent> output)
    {
        var (leading, beforeTool) = ChatReasoning.Decode(null, token, "reasoning_signature");
        foreach (var part in beforeTool is null ? leading : leading.Concat(beforeTool.OrderBy(static p => p.Key).SelectMany(static p => p.Value)))
        {
            if (!_reasoningStreamed && part.Text.Length > 0)
            {
                output.Add(new ReasoningDelta(part.Text));
            }
            if (part.Redacted is { } redacted)
            {
                output.Add(new RedactedReasoning(redacted));
            }
            if (part.Signature is { } signature)
            {
                output.Add(new ReasoningSignature(signature, part.Origin));
            }
        }
    }

    /// <summary>Calls stream by index; the first delta of one carries its id and name, later ones argument fragments, possibly interleaved.</summary>
    private void DecodeCall(long index, string? id, string? name, string? arguments, List<HubStreamEvent> output)
    {
        if (!_calls.TryGetValue(index, out var call))
        {
            _calls[index] = call = new PendingCall();
        }
        call.Id ??= id;
        call.Name ??= string.IsNullOrEmpty(name) ? null : name;
        if (call.HubIndex < 0)
        {
            if (call.Name is null)
            {
                call.EarlyArguments += arguments;
                return;
            }
            StartCall(call, output);
        }
        if (!string.IsNullOrEmpty(arguments))
        {
            output.Add(new ToolCallArgumentsDelta(call.HubIndex, arguments));
        }
    }

    private void StartCall(PendingCall call, List<HubStreamEvent> output)
    {
        call.HubIndex = _started++;
        // Every OpenAI call has an id; a compatible service that leaves it out still gets a stable one.
        output.Add(new ToolCallStarted(call.HubIndex, call.Id ?? $"call_{call.HubIndex}", call.Name ?? ""));
        if (!string.IsNullOrEmpty(call.EarlyArguments))
        {
            output.Add(new ToolCallArgumentsDelta(call.HubIndex, call.EarlyArguments));
            call.EarlyArguments = null;
        }
    }
}
