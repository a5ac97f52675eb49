using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// Gemini stream chunks into hub events. Every chunk is a whole <c>GenerateContentResponse</c> holding the parts
/// generated since the previous one: text parts are text deltas, thought parts reasoning deltas, and a function
/// call arrives complete (one start and one arguments delta). <c>usageMetadata</c> is cumulative, so only the
/// last one counts; and the finish reason is held until the stream ends, because Gemini may still send a part
/// (an empty one carrying a signature) after the chunk that had it.
/// </summary>
public sealed class GeminiStreamDecoder(HubRequest request, long created = 0) : IStreamDecoder<GenerateContentResponse>
{
    private bool _started;
    private GeminiToolCallIds? _ids;
    private int _toolCalls;
    private string? _finishReason;
    private bool _blocked;
    private UsageMetadata? _usage;

    public void Decode(GenerateContentResponse chunk, List<HubStreamEvent> output)
    {
        if (!_started)
        {
            Start(chunk.ResponseId, chunk.ModelVersion, output);
        }
        if (chunk.UsageMetadata is { } usage)
        {
            _usage = usage;
        }
        if (chunk.PromptFeedback?.BlockReason is not null)
        {
            _blocked = true;
        }
        if (GeminiResponseDecoder.FirstCandidate(chunk) is not { } candidate)
        {
            return;
        }
        foreach (var part in candidate.Content?.Parts ?? [])
        {
            if (part is not null)
            {
                DecodePart(part, output);
            }
        }
        if (candidate.FinishReason is { } reason)
        {
            _finishReason = reason;
        }
    }

    public void Finish(List<HubStreamEvent> output)
    {
        if (!_started)
        {
            Start(null, null, output);
        }
        var reason = _finishReason is null && _blocked
            ? HubFinishReason.ContentFilter
            : GeminiFinishReasons.Decode(_finishReason, _toolCalls > 0);
        output.Add(new StreamFinished(reason, GeminiUsage.Decode(_usage)));
    }

    private void Start(string? responseId, string? model, List<HubStreamEvent> output)
    {
        _started = true;
        var id = responseId is { Length: > 0 } ? responseId : GeminiToolCallIds.NewResponseId();
        _ids = GeminiToolCallIds.ForResponse(id);
        output.Add(new StreamStarted(id, model ?? request.Model, created));
    }

    private void DecodePart(Part part, List<HubStreamEvent> output)
    {
        var signature = part.ThoughtSignature is { Length: > 0 } s ? s : null;
        if (part.Thought == true)
        {
            if (!string.IsNullOrEmpty(part.Text))
            {
                output.Add(new ReasoningDelta(part.Text));
            }
            if (signature is not null)
            {
                output.Add(new ReasoningSignature(signature, SignatureOrigin.Gemini));
            }
            return;
        }
        // A signature on an answer part belongs to the reasoning that led to it: it comes first, as in complete answers.
        if (signature is not null)
        {
            output.Add(new ReasoningSignature(signature, SignatureOrigin.Gemini));
        }
        if (!string.IsNullOrEmpty(part.Text))
        {
            output.Add(new TextDelta(part.Text));
        }
        if (part.FunctionCall is { } call)
        {
            var index = _toolCalls++;
            output.Add(new ToolCallStarted(index, _ids!.ForCall(call), call.Name));
            output.Add(new ToolCallArgumentsDelta(index, GeminiPartReader.ArgumentsOf(call.Args)));
        }
        // Media, executed code and its results only stream when the request asked for image output or the code
        // execution tool, and conversion rejects both before anything is sent.
    }
}
