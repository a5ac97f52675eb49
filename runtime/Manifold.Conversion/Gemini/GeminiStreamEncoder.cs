using System.Text;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// Hub events into Gemini stream chunks, each a <c>GenerateContentResponse</c> with one candidate, as Gemini
/// streams them: text and thoughts as they come, function calls whole, and a last chunk with the finish reason
/// and usage. Function calls are held until the answer ends, because argument deltas may keep arriving for
/// earlier calls while later ones start (OpenAI's parallel calls); Gemini itself sends a turn's calls together.
/// A signature is attached to the next part sent, or to an empty text part in the last chunk, in the form that
/// carries its origin (<see cref="GeminiSignatures.ToClient"/>).
/// </summary>
public sealed class GeminiStreamEncoder(HubRequest request) : IStreamEncoder<GenerateContentResponse>
{
    private readonly bool _dropReasoning = request.Output.SuppressReasoning;
    private readonly List<(string Id, string Name, StringBuilder Arguments, string? Signature)> _calls = [];
    private string _id = string.Empty;
    private string _model = request.Model;
    private string? _pendingSignature;
    private HubUsage? _usage;
    private bool _finished;

    public void Encode(HubStreamEvent hubEvent, List<GenerateContentResponse> output)
    {
        switch (hubEvent)
        {
            case StreamStarted started:
                _id = started.Id;
                _model = string.IsNullOrEmpty(started.Model) ? request.Model : started.Model;
                _usage = started.Usage;
                break;
            case TextDelta text:
                output.Add(Chunk([new Part { Text = text.Text, ThoughtSignature = TakeSignature() }]));
                break;
            case RefusalDelta refusal:
                // Gemini has no refusal part: a refusal is what the model said.
                output.Add(Chunk([new Part { Text = refusal.Text, ThoughtSignature = TakeSignature() }]));
                break;
            case ReasoningDelta reasoning when !_dropReasoning:
                output.Add(Chunk([new Part { Text = reasoning.Text, Thought = true, ThoughtSignature = TakeSignature() }]));
                break;
            case ReasoningSignature signature when !_dropReasoning:
                if (_pendingSignature is not null)
                {
                    output.Add(Chunk([new Part { Text = string.Empty, ThoughtSignature = _pendingSignature }]));
                }
                _pendingSignature = GeminiSignatures.ToClient(signature.Signature, signature.Origin);
                break;
            case ToolCallStarted call:
                // A signature right before a call is the call's (Gemini 3 validates it there).
                _calls.Add((call.Id, call.Name, new StringBuilder(), TakeSignature()));
                break;
            case ToolCallArgumentsDelta delta when delta.Index >= 0 && delta.Index < _calls.Count:
                _calls[delta.Index].Arguments.Append(delta.Json);
                break;
            case UsageReported reported:
                _usage = reported.Usage;
                break;
            case StreamFinished finished:
                output.Add(Last(finished.Reason, finished.Usage ?? _usage));
                break;
            // Redacted reasoning (Anthropic's) is opaque data only Anthropic can read back; reasoning and signatures
            // are left out for close_reasoning_content.
        }
    }

    public void Finish(List<GenerateContentResponse> output)
    {
        if (!_finished)
        {
            output.Add(Last(_calls.Count > 0 ? HubFinishReason.ToolCalls : HubFinishReason.Stop, _usage));
        }
    }

    private GenerateContentResponse Last(HubFinishReason reason, HubUsage? usage)
    {
        _finished = true;
        var parts = new List<Part>(_calls.Count + 1);
        foreach (var (id, name, arguments, signature) in _calls)
        {
            parts.Add(new Part
            {
                FunctionCall = new FunctionCall { Id = id, Name = name, Args = GeminiPartWriter.TryParseArguments(arguments.ToString()) ?? EmptyArguments },
                ThoughtSignature = signature,
            });
        }
        _calls.Clear();
        if (_pendingSignature is not null || parts.Count == 0)
        {
            // Gemini's last chunk holds at least an empty text part, which may carry the final signature.
            parts.Add(new Part { Text = string.Empty, ThoughtSignature = TakeSignature() });
        }
        var chunk = Chunk(parts);
        chunk.Candidates![0].FinishReason = GeminiFinishReasons.Encode(reason);
        chunk.UsageMetadata = usage is null ? null : GeminiUsage.Encode(usage);
        return chunk;
    }

    // Arguments cut off by the token limit are not JSON, and Gemini's args must be an object: the call goes out
    // without them, and the finish reason (MAX_TOKENS) says why. Failing here would break a stream already under way.
    private static readonly System.Text.Json.JsonElement EmptyArguments = GeminiPartWriter.TryParseArguments("{}")!.Value;

    private GenerateContentResponse Chunk(List<Part> parts) => new()
    {
        Candidates = [new Candidate { Content = new Content { Role = ContentRoleValues.Model, Parts = parts }, Index = 0 }],
        ModelVersion = _model,
        ResponseId = _id,
    };

    private string? TakeSignature()
    {
        var signature = _pendingSignature;
        _pendingSignature = null;
        return signature;
    }
}
