using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Gemini;

/// <summary>A hub answer as a Gemini <c>GenerateContentResponse</c> with one candidate.</summary>
internal static class GeminiResponseEncoder
{
    public static GenerateContentResponse Encode(HubResponse response, HubRequest request)
    {
        // Created and StopSequence have no Gemini field; a client reads neither from Gemini.
        var parts = GeminiPartWriter.Write(response.Content, "content", toClient: true, request.Output.SuppressReasoning);
        return new GenerateContentResponse
        {
            Candidates =
            [
                new Candidate
                {
                    // Gemini leaves parts out of a candidate that produced nothing (a MAX_TOKENS spent thinking).
                    Content = new Content { Role = ContentRoleValues.Model, Parts = parts.Count > 0 ? parts : null },
                    FinishReason = GeminiFinishReasons.Encode(response.FinishReason),
                    Index = 0,
                },
            ],
            UsageMetadata = response.Usage is { } usage ? GeminiUsage.Encode(usage) : null,
            ModelVersion = response.Model,
            ResponseId = response.Id,
        };
    }
}
