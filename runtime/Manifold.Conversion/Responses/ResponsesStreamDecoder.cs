using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>
/// An OpenAI platform's Responses events as a hub stream. The deltas carry the content; the item events say
/// where tool calls start and where a reasoning item's signature (its id and encrypted content, known only when
/// the item is done) belongs; the closing lifecycle event carries the usage and why generation stopped.
/// </summary>
internal sealed class ResponsesStreamDecoder(HubRequest request) : IStreamDecoder<ResponseStreamEvent>
{
    // Tool calls by output_index; a call is numbered in the hub by the order it started.
    private readonly Dictionary<long, ToolCall> _calls = [];
    private bool _started;
    private bool _finished;
    private (long OutputIndex, long SummaryIndex) _summary = (-1, -1);

    public void Decode(ResponseStreamEvent chunk, List<HubStreamEvent> output)
    {
        if (_finished)
        {
            return;
        }
        switch (chunk.Type)
        {
            case "response.created" or "response.queued" or "response.in_progress":
                if (chunk.Response is { } response)
                {
                    Start(response.Id, response.Model, response.CreatedAt, output);
                }
                break;
            case "response.output_item.added" when chunk.Item is { Type: "function_call" } item:
                StartCall(chunk.OutputIndex ?? -1, item, output);
                break;
            case "response.function_call_arguments.delta" when !string.IsNullOrEmpty(chunk.Delta):
                if (_calls.TryGetValue(chunk.OutputIndex ?? -1, out var call))
                {
                    call.HasArguments = true;
                    output.Add(new ToolCallArgumentsDelta(call.Index, chunk.Delta));
                }
                break;
            case "response.function_call_arguments.done" when !string.IsNullOrEmpty(chunk.Arguments):
                // Arguments sent whole, without deltas.
                if (_calls.TryGetValue(chunk.OutputIndex ?? -1, out var whole) && !whole.HasArguments)
                {
                    whole.HasArguments = true;
                    output.Add(new ToolCallArgumentsDelta(whole.Index, chunk.Arguments));
                }
                break;
            case "response.output_text.delta" when !string.IsNullOrEmpty(chunk.Delta):
                EnsureStarted(output);
                output.Add(new TextDelta(chunk.Delta));
                break;
            case "response.refusal.delta" when !string.IsNullOrEmpty(chunk.Delta):
                EnsureStarted(output);
                output.Add(new RefusalDelta(chunk.Delta));
                break;
            case "response.reasoning_summary_text.delta" when !string.IsNullOrEmpty(chunk.Delta):
                EnsureStarted(output);
                var summary = (chunk.OutputIndex ?? 0, chunk.SummaryIndex ?? 0);
                // Summary parts of one item read as paragraphs of one text, as in a complete answer.
                if (summary.Item2 > 0 && summary != _summary)
                {
                    output.Add(new ReasoningDelta(ResponsesReasoning.SummarySeparator));
                }
                _summary = summary;
                output.Add(new ReasoningDelta(chunk.Delta));
                break;
            case "response.reasoning_text.delta" when !string.IsNullOrEmpty(chunk.Delta):
                EnsureStarted(output);
                output.Add(new ReasoningDelta(chunk.Delta));
                break;
            case "response.output_item.done" when chunk.Item is { } done:
                FinishItem(chunk.OutputIndex ?? -1, done, output);
                break;
            case "response.completed" or "response.incomplete":
                EnsureStarted(output);
                var final = chunk.Response;
                output.Add(new StreamFinished(
                    // The event's type says how it ended, whatever status the response object carries.
                    ResponsesResponseDecoder.FinishReason(
                        chunk.Type == "response.incomplete" ? ResponsesEcho.Incomplete : ResponsesEcho.Completed, final?.IncompleteDetails?.Reason, _calls.Count > 0),
                    ResponsesUsage.Decode(final?.Usage)));
                _finished = true;
                break;
            case "response.failed":
                // Plugins report failures as exceptions; one that relays the event fails the stream here.
                throw ResponsesFailures.From(chunk.Response?.Error?.Code, chunk.Response?.Error?.Message);
            case "error":
                throw ResponsesFailures.From(chunk);
            default:
                // Part and done events repeat what the deltas said; the rest belong to built-in tools.
                break;
        }
    }

    public void Finish(List<HubStreamEvent> output)
    {
        if (!_finished)
        {
            EnsureStarted(output);
            output.Add(new StreamFinished(_calls.Count > 0 ? HubFinishReason.ToolCalls : HubFinishReason.Stop));
            _finished = true;
        }
    }

    private void Start(string id, string model, long createdAt, List<HubStreamEvent> output)
    {
        if (!_started)
        {
            _started = true;
            output.Add(new StreamStarted(id, string.IsNullOrEmpty(model) ? request.Model : model, createdAt));
        }
    }

    /// <summary>A stream that skipped response.created still starts: encoders make up the missing id.</summary>
    private void EnsureStarted(List<HubStreamEvent> output) => Start("", request.Model, 0, output);

    private void StartCall(long outputIndex, ResponseOutputItem item, List<HubStreamEvent> output)
    {
        EnsureStarted(output);
        var call = new ToolCall(_calls.Count);
        _calls[outputIndex] = call;
        output.Add(new ToolCallStarted(call.Index, item.CallId ?? item.Id ?? "", item.Name ?? ""));
        if (!string.IsNullOrEmpty(item.Arguments))
        {
            call.HasArguments = true;
            output.Add(new ToolCallArgumentsDelta(call.Index, item.Arguments));
        }
    }

    private void FinishItem(long outputIndex, ResponseOutputItem item, List<HubStreamEvent> output)
    {
        switch (item.Type)
        {
            case "reasoning":
                if (ResponsesReasoning.FromPlatform(item.Id, item.EncryptedContent) is { } signature)
                {
                    EnsureStarted(output);
                    output.Add(new ReasoningSignature(signature, SignatureOrigin.OpenAI));
                }
                break;
            case "function_call":
                if (!_calls.TryGetValue(outputIndex, out var call))
                {
                    // Announced only when done: the whole call at once.
                    StartCall(outputIndex, item, output);
                }
                else if (!call.HasArguments && !string.IsNullOrEmpty(item.Arguments))
                {
                    // Arguments that came only with the finished item, not as deltas.
                    call.HasArguments = true;
                    output.Add(new ToolCallArgumentsDelta(call.Index, item.Arguments));
                }
                break;
        }
    }

    private sealed class ToolCall(int index)
    {
        public int Index { get; } = index;

        public bool HasArguments { get; set; }
    }
}
