using System.Text;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Responses;

/// <summary>
/// A hub stream as Responses events, numbered from 0:
/// <code>
/// response.created response.in_progress
/// ( output_item.added
///   ( reasoning_summary_part.added reasoning_summary_text.delta* reasoning_summary_text.done reasoning_summary_part.done   (reasoning)
///   | ( content_part.added (output_text.delta* output_text.done | refusal.delta* refusal.done) content_part.done )*        (message)
///   | function_call_arguments.delta* function_call_arguments.done )                                                       (function_call)
///   output_item.done )*
/// (response.completed | response.incomplete)
/// </code>
/// Output items are sequential, so a tool call that starts while another is still open is held back, with its
/// argument deltas, and sent whole when the open one is done. Every event carries objects of its own, never
/// ones a later event changes, so a collected stream reads as it was sent.
/// </summary>
internal sealed class ResponsesStreamEncoder(HubRequest request) : IStreamEncoder<ResponseStreamEvent>
{
    private readonly bool _showReasoning = !request.Output.SuppressReasoning;
    private readonly List<ResponseOutputItem> _output = [];
    private readonly Dictionary<int, ToolCall> _calls = [];
    private readonly List<ToolCall> _heldCalls = [];
    private long _sequence;
    private string _id = "";
    private string _core = "";
    private string _model = request.Model;
    private long _createdAt;
    private bool _started;
    private bool _finished;
    private HubUsage? _usage;
    private OpenItem? _open;

    public void Encode(HubStreamEvent hubEvent, List<ResponseStreamEvent> output)
    {
        if (_finished)
        {
            return;
        }
        if (hubEvent is StreamStarted started)
        {
            Start(started.Id, started.Model, started.Created, started.Usage, output);
            return;
        }
        if (!_started)
        {
            Start(null, request.Model, 0, null, output);
        }
        switch (hubEvent)
        {
            case ReasoningDelta { Text.Length: > 0 } reasoning when _showReasoning:
                AppendReasoning(reasoning.Text, output);
                break;
            case ReasoningSignature signature when _showReasoning:
                Seal(ResponsesReasoning.ToClient(signature), output);
                break;
            case RedactedReasoning redacted when _showReasoning:
                Close(ResponsesEcho.Completed, output);
                Seal(ResponsesReasoning.RedactedPrefix + redacted.Data, output);
                break;
            case TextDelta { Text.Length: > 0 } text:
                AppendContent("output_text", text.Text, output);
                break;
            case RefusalDelta { Text.Length: > 0 } refusal:
                AppendContent("refusal", refusal.Text, output);
                break;
            case ToolCallStarted call:
                StartCall(call, output);
                break;
            case ToolCallArgumentsDelta arguments when _calls.TryGetValue(arguments.Index, out var call):
                call.Arguments.Append(arguments.Json);
                // Deltas of a held call wait in its buffer; those of a call already done have nowhere to go.
                if (_open is FunctionCallItem { Call: var open } && ReferenceEquals(open, call))
                {
                    Emit(output, new() { Type = "response.function_call_arguments.delta", ItemId = open.ItemId, OutputIndex = open.OutputIndex, Delta = arguments.Json });
                }
                break;
            case UsageReported usage:
                _usage = usage.Usage;
                break;
            case StreamFinished finished:
                Complete(finished.Reason, finished.Usage ?? _usage, output);
                break;
        }
    }

    public void Finish(List<ResponseStreamEvent> output)
    {
        if (!_started)
        {
            Start(null, request.Model, 0, null, output);
        }
        if (!_finished)
        {
            Complete(HubFinishReason.Stop, _usage, output);
        }
    }

    private void Start(string? id, string model, long createdAt, HubUsage? usage, List<ResponseStreamEvent> output)
    {
        if (_started)
        {
            return;
        }
        _started = true;
        _id = ResponsesIds.Response(id);
        _core = ResponsesIds.Core(_id);
        _model = model;
        _createdAt = createdAt;
        _usage = usage;
        Emit(output, new() { Type = "response.created", Response = Snapshot() });
        Emit(output, new() { Type = "response.in_progress", Response = Snapshot() });
    }

    private Response Snapshot() => ResponsesEcho.Create(request, _id, _model, _createdAt, ResponsesEcho.InProgress);

    // ---------------------------------------------------------------- reasoning

    private void AppendReasoning(string text, List<ResponseStreamEvent> output)
    {
        if (_open is not ReasoningItem { Sealed: false } item)
        {
            Close(ResponsesEcho.Completed, output);
            item = OpenReasoning(output);
        }
        if (item.Text.Length == 0)
        {
            Emit(output, new()
            {
                Type = "response.reasoning_summary_part.added",
                ItemId = item.Id,
                OutputIndex = item.OutputIndex,
                SummaryIndex = 0,
                Part = new ResponseContentPart { Type = "summary_text", Text = "" },
            });
        }
        item.Text.Append(text);
        Emit(output, new() { Type = "response.reasoning_summary_text.delta", ItemId = item.Id, OutputIndex = item.OutputIndex, SummaryIndex = 0, Delta = text });
    }

    /// <summary>The signature ends the reasoning it belongs to; one without reasoning text gets an item of its own.</summary>
    private void Seal(string encryptedContent, List<ResponseStreamEvent> output)
    {
        if (_open is not ReasoningItem { Sealed: false } item)
        {
            Close(ResponsesEcho.Completed, output);
            item = OpenReasoning(output);
        }
        item.EncryptedContent = encryptedContent;
        item.Sealed = true;
    }

    private ReasoningItem OpenReasoning(List<ResponseStreamEvent> output)
    {
        var item = new ReasoningItem(ResponsesIds.Reasoning(_core, _output.Count), _output.Count);
        _open = item;
        Emit(output, new()
        {
            Type = "response.output_item.added",
            OutputIndex = item.OutputIndex,
            Item = new ResponseOutputItem { Type = "reasoning", Id = item.Id, Summary = [] },
        });
        return item;
    }

    // ---------------------------------------------------------------- message

    private void AppendContent(string type, string delta, List<ResponseStreamEvent> output)
    {
        if (_open is not MessageItem item)
        {
            Close(ResponsesEcho.Completed, output);
            item = new MessageItem(ResponsesIds.Message(_core, _output.Count), _output.Count);
            _open = item;
            Emit(output, new()
            {
                Type = "response.output_item.added",
                OutputIndex = item.OutputIndex,
                Item = new ResponseOutputItem { Type = "message", Id = item.Id, Status = "in_progress", Role = "assistant", Content = [] },
            });
        }
        if (item.PartType != type)
        {
            ClosePart(item, output);
            item.PartType = type;
            Emit(output, new()
            {
                Type = "response.content_part.added",
                ItemId = item.Id,
                OutputIndex = item.OutputIndex,
                ContentIndex = item.Parts.Count,
                Part = Part(type, ""),
            });
        }
        item.PartText.Append(delta);
        var refusal = type == "refusal";
        Emit(output, new()
        {
            Type = refusal ? "response.refusal.delta" : "response.output_text.delta",
            ItemId = item.Id,
            OutputIndex = item.OutputIndex,
            ContentIndex = item.Parts.Count,
            Delta = delta,
            // The API sends logprobs on every text delta, empty unless they were asked for.
            Logprobs = refusal ? null : [],
        });
    }

    private void ClosePart(MessageItem item, List<ResponseStreamEvent> output)
    {
        if (item.PartType is not { } type)
        {
            return;
        }
        var text = item.PartText.ToString();
        var contentIndex = item.Parts.Count;
        var refusal = type == "refusal";
        Emit(output, new()
        {
            Type = refusal ? "response.refusal.done" : "response.output_text.done",
            ItemId = item.Id,
            OutputIndex = item.OutputIndex,
            ContentIndex = contentIndex,
            Refusal = refusal ? text : null,
            Text = refusal ? null : text,
            Logprobs = refusal ? null : [],
        });
        Emit(output, new() { Type = "response.content_part.done", ItemId = item.Id, OutputIndex = item.OutputIndex, ContentIndex = contentIndex, Part = Part(type, text) });
        item.Parts.Add(Part(type, text));
        item.PartType = null;
        item.PartText.Clear();
    }

    private static ResponseContentPart Part(string type, string text) => type == "refusal"
        ? new ResponseContentPart { Type = "refusal", Refusal = text }
        : ResponsesResponseEncoder.OutputText(text);

    // ---------------------------------------------------------------- tool calls

    private void StartCall(ToolCallStarted started, List<ResponseStreamEvent> output)
    {
        var call = new ToolCall(started.Id, started.Name);
        _calls[started.Index] = call;
        if (_open is FunctionCallItem)
        {
            _heldCalls.Add(call);
            return;
        }
        Close(ResponsesEcho.Completed, output);
        OpenCall(call, output);
    }

    private void OpenCall(ToolCall call, List<ResponseStreamEvent> output)
    {
        call.ItemId = ResponsesIds.FunctionCall(call.CallId);
        call.OutputIndex = _output.Count;
        _open = new FunctionCallItem(call);
        Emit(output, new()
        {
            Type = "response.output_item.added",
            OutputIndex = call.OutputIndex,
            Item = new ResponseOutputItem { Type = "function_call", Id = call.ItemId, Status = "in_progress", CallId = call.CallId, Name = call.Name, Arguments = "" },
        });
    }

    // ---------------------------------------------------------------- closing

    /// <summary>Ends the open item, then sends the tool calls held back behind it, each whole.</summary>
    private void Close(string status, List<ResponseStreamEvent> output)
    {
        CloseOpen(status, output);
        while (_heldCalls.Count > 0)
        {
            var call = _heldCalls[0];
            _heldCalls.RemoveAt(0);
            OpenCall(call, output);
            if (call.Arguments.Length > 0)
            {
                var arguments = call.Arguments.ToString();
                Emit(output, new() { Type = "response.function_call_arguments.delta", ItemId = call.ItemId, OutputIndex = call.OutputIndex, Delta = arguments });
            }
            CloseOpen(status, output);
        }
    }

    private void CloseOpen(string status, List<ResponseStreamEvent> output)
    {
        var open = _open;
        _open = null;
        ResponseOutputItem item;
        switch (open)
        {
            case ReasoningItem reasoning:
                var text = reasoning.Text.ToString();
                if (text.Length > 0)
                {
                    Emit(output, new() { Type = "response.reasoning_summary_text.done", ItemId = reasoning.Id, OutputIndex = reasoning.OutputIndex, SummaryIndex = 0, Text = text });
                    Emit(output, new()
                    {
                        Type = "response.reasoning_summary_part.done",
                        ItemId = reasoning.Id,
                        OutputIndex = reasoning.OutputIndex,
                        SummaryIndex = 0,
                        Part = new ResponseContentPart { Type = "summary_text", Text = text },
                    });
                }
                item = new ResponseOutputItem
                {
                    Type = "reasoning",
                    Id = reasoning.Id,
                    Summary = text.Length == 0 ? [] : [new ResponseContentPart { Type = "summary_text", Text = text }],
                    EncryptedContent = reasoning.EncryptedContent,
                };
                break;
            case MessageItem message:
                ClosePart(message, output);
                item = new ResponseOutputItem { Type = "message", Id = message.Id, Status = status, Role = "assistant", Content = message.Parts };
                break;
            case FunctionCallItem { Call: var call }:
                var arguments = call.Arguments.ToString();
                Emit(output, new() { Type = "response.function_call_arguments.done", ItemId = call.ItemId, OutputIndex = call.OutputIndex, Name = call.Name, Arguments = arguments });
                item = ResponsesResponseEncoder.FunctionCall(call.CallId, call.Name, arguments, status);
                break;
            default:
                return;
        }
        Emit(output, new() { Type = "response.output_item.done", OutputIndex = _output.Count, Item = item });
        _output.Add(item);
    }

    private void Complete(HubFinishReason reason, HubUsage? usage, List<ResponseStreamEvent> output)
    {
        var (status, details) = ResponsesEcho.Outcome(reason);
        // The item the limit cut off is incomplete; items before it were done.
        Close(status == ResponsesEcho.Incomplete ? ResponsesEcho.Incomplete : ResponsesEcho.Completed, output);
        var response = ResponsesEcho.Create(request, _id, _model, _createdAt, status);
        response.IncompleteDetails = details;
        response.Output = [.. _output];
        if (usage is not null)
        {
            response.Usage = ResponsesUsage.Encode(usage);
        }
        Emit(output, new() { Type = status == ResponsesEcho.Incomplete ? "response.incomplete" : "response.completed", Response = response });
        _finished = true;
    }

    private void Emit(List<ResponseStreamEvent> output, ResponseStreamEvent streamEvent)
    {
        streamEvent.SequenceNumber = _sequence++;
        output.Add(streamEvent);
    }

    private abstract class OpenItem;

    private sealed class ReasoningItem(string id, int outputIndex) : OpenItem
    {
        public string Id { get; } = id;

        public int OutputIndex { get; } = outputIndex;

        public StringBuilder Text { get; } = new();

        public string? EncryptedContent { get; set; }

        /// <summary>A signature arrived: more reasoning text belongs to a new item.</summary>
        public bool Sealed { get; set; }
    }

    private sealed class MessageItem(string id, int outputIndex) : OpenItem
    {
        public string Id { get; } = id;

        public int OutputIndex { get; } = outputIndex;

        public List<ResponseContentPart> Parts { get; } = [];

        /// <summary>The type of the content part being streamed (output_text or refusal); null between parts.</summary>
        public string? PartType { get; set; }

        public StringBuilder PartText { get; } = new();
    }

    private sealed class FunctionCallItem(ToolCall call) : OpenItem
    {
        public ToolCall Call { get; } = call;
    }

    private sealed class ToolCall(string callId, string name)
    {
        public string CallId { get; } = callId;

        public string Name { get; } = name;

        public StringBuilder Arguments { get; } = new();

        public string ItemId { get; set; } = "";

        public int OutputIndex { get; set; }
    }
}
