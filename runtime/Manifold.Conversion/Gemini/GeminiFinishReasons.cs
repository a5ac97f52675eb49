using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Gemini;

/// <summary><c>finishReason</c> and <see cref="HubFinishReason"/>.</summary>
internal static class GeminiFinishReasons
{
    /// <summary>
    /// Gemini says STOP when the model called functions; the hub says ToolCalls, as OpenAI and Anthropic do.
    /// Every block by a filter (safety, recitation, blocklists, personal data, a blocked prompt) is a content filter.
    /// Malformed or unexpected calls and other failures end the answer without a better name: Stop.
    /// </summary>
    public static HubFinishReason Decode(string? reason, bool calledTools) => reason switch
    {
        CandidateFinishReasonValues.MAXTOKENS => HubFinishReason.Length,
        CandidateFinishReasonValues.SAFETY or CandidateFinishReasonValues.RECITATION or CandidateFinishReasonValues.BLOCKLIST
            or CandidateFinishReasonValues.PROHIBITEDCONTENT or CandidateFinishReasonValues.SPII or CandidateFinishReasonValues.IMAGESAFETY
            or CandidateFinishReasonValues.IMAGEPROHIBITEDCONTENT or CandidateFinishReasonValues.IMAGERECITATION => HubFinishReason.ContentFilter,
        _ when calledTools => HubFinishReason.ToolCalls,
        _ => HubFinishReason.Stop,
    };

    /// <summary>Gemini has no tool-call or pause reason: the model stopped, with or without calls.</summary>
    public static string Encode(HubFinishReason reason) => reason switch
    {
        HubFinishReason.Length => CandidateFinishReasonValues.MAXTOKENS,
        HubFinishReason.ContentFilter => CandidateFinishReasonValues.SAFETY,
        _ => CandidateFinishReasonValues.STOP,
    };
}
