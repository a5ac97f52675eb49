namespace Manifold.Conversion.Responses;

/// <summary>
/// The ids a Responses answer needs and other platforms do not issue: <c>resp_</c> for the response, and ids for
/// its output items (<c>msg_</c>, <c>rs_</c>, <c>fc_</c>), which the official SDKs require to be present and
/// unique within a response. They derive from the upstream's response id, so one answer always gets the same ids.
/// </summary>
internal static class ResponsesIds
{
    private const string ResponsePrefix = "resp_";

    /// <summary>The response id: the upstream's, prefixed with <c>resp_</c> unless it already is; a fresh one when there is none.</summary>
    public static string Response(string? upstreamId)
    {
        if (string.IsNullOrEmpty(upstreamId))
        {
            return ResponsePrefix + Guid.NewGuid().ToString("N");
        }
        return upstreamId.StartsWith(ResponsePrefix, StringComparison.Ordinal) ? upstreamId : ResponsePrefix + upstreamId;
    }

    /// <summary>The part of a response id its item ids are made from.</summary>
    public static string Core(string responseId) =>
        responseId.StartsWith(ResponsePrefix, StringComparison.Ordinal) ? responseId[ResponsePrefix.Length..] : responseId;

    public static string Message(string core, int outputIndex) => $"msg_{core}_{outputIndex}";

    /// <summary>
    /// The id of a reasoning item Manifold made (for another platform's thinking). Marked, so that when a client
    /// sends the item back it is not taken for one of OpenAI's, which OpenAI could continue from by id.
    /// </summary>
    public static string Reasoning(string core, int outputIndex) => $"{GeneratedReasoningPrefix}{core}_{outputIndex}";

    /// <summary>The id of a reasoning item a client sent back, when it is OpenAI's; null when Manifold made it up.</summary>
    public static string? OpenAIReasoning(string? id) =>
        id is null || id.StartsWith(GeneratedReasoningPrefix, StringComparison.Ordinal) ? null : id;

    private const string GeneratedReasoningPrefix = "rs_mf_";

    /// <summary>A function call item's id, from its call id (<c>call_abc</c> gives <c>fc_abc</c>), which is unique per response already.</summary>
    public static string FunctionCall(string callId) =>
        callId.StartsWith("call_", StringComparison.Ordinal) ? "fc_" + callId[5..] : "fc_" + callId;
}
