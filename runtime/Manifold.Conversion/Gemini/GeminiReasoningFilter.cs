using Manifold.Contracts.Gemini;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// <c>close_reasoning_content</c> on a Gemini answer passed through from a Gemini platform: thought parts go, and
/// signatures with them (a client that sees no reasoning has nothing to sign).
/// </summary>
internal static class GeminiReasoningFilter
{
    /// <summary>Strips reasoning in place. Returns false when a stream chunk is left with nothing worth sending.</summary>
    public static bool Strip(GenerateContentResponse response)
    {
        var meaningful = response.UsageMetadata is not null || response.PromptFeedback is not null;
        foreach (var candidate in response.Candidates ?? [])
        {
            if (candidate is null)
            {
                continue;
            }
            meaningful |= candidate.FinishReason is not null;
            if (candidate.Content?.Parts is not { } parts)
            {
                continue;
            }
            parts.RemoveAll(static p => p is null || p.Thought == true || IsSignatureOnly(p));
            foreach (var part in parts)
            {
                part.ThoughtSignature = null;
            }
            meaningful |= parts.Count > 0;
        }
        return meaningful;
    }

    private static bool IsSignatureOnly(Part part) =>
        part.ThoughtSignature is not null && string.IsNullOrEmpty(part.Text) && part.InlineData is null && part.FileData is null
        && part.FunctionCall is null && part.FunctionResponse is null && part.ExecutableCode is null && part.CodeExecutionResult is null;
}
