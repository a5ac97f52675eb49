using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Gemini;

/// <summary>A complete Gemini answer in hub terms: the first candidate (conversion never asks for more).</summary>
internal static class GeminiResponseDecoder
{
    public static HubResponse Decode(GenerateContentResponse response)
    {
        var id = response.ResponseId is { Length: > 0 } responseId ? responseId : GeminiToolCallIds.NewResponseId();
        var ids = GeminiToolCallIds.ForResponse(id);
        var hub = new HubResponse
        {
            Id = id,
            // Gemini has no creation time and may leave out modelVersion: the target fills both in from the call.
            Model = response.ModelVersion ?? string.Empty,
            Usage = GeminiUsage.Decode(response.UsageMetadata),
        };
        var candidate = FirstCandidate(response);
        if (candidate is null)
        {
            // No candidate at all: the prompt itself was blocked (promptFeedback.blockReason), or nothing was generated.
            hub.FinishReason = response.PromptFeedback?.BlockReason is not null ? HubFinishReason.ContentFilter : HubFinishReason.Stop;
            return hub;
        }
        GeminiPartReader.Read(candidate.Content?.Parts, "candidates[0].content", ids, hub.Content, fromClient: false);
        hub.FinishReason = GeminiFinishReasons.Decode(candidate.FinishReason, hub.Content.OfType<ToolCallPart>().Any());
        return hub;
    }

    /// <summary>The candidate with index 0 (the index is left out when it is 0), else the first listed.</summary>
    public static Candidate? FirstCandidate(GenerateContentResponse response)
    {
        var candidates = response.Candidates;
        if (candidates is null || candidates.Count == 0)
        {
            return null;
        }
        foreach (var candidate in candidates)
        {
            if (candidate is not null && (candidate.Index ?? 0) == 0)
            {
                return candidate;
            }
        }
        return candidates[0];
    }
}
