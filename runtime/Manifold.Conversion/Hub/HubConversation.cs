namespace Manifold.Conversion.Hub;

/// <summary>Whole-conversation fix-ups decoders share.</summary>
public static class HubConversation
{
    /// <summary>
    /// Gives every tool result the name of the call it answers, found earlier in the history. Gemini needs
    /// the name (<c>functionResponse.name</c>); OpenAI and Anthropic only send the call id.
    /// </summary>
    public static void ResolveToolNames(HubRequest request)
    {
        Dictionary<string, string>? names = null;
        foreach (var message in request.Messages)
        {
            for (var i = 0; i < message.Parts.Count; i++)
            {
                switch (message.Parts[i])
                {
                    case ToolCallPart call:
                        (names ??= new(StringComparer.Ordinal))[call.Id] = call.Name;
                        break;
                    case ToolResultPart { Name: null } result when names is not null && names.TryGetValue(result.CallId, out var name):
                        message.Parts[i] = result with { Name = name };
                        break;
                }
            }
        }
    }
}
