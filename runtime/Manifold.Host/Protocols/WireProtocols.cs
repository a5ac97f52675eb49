namespace Manifold.Host.Protocols;

/// <summary>The inbound protocols the host can speak, by the name specs use.</summary>
public static class WireProtocols
{
    private static readonly Dictionary<string, IWireProtocol> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        [OpenAIWireProtocol.Instance.Name] = OpenAIWireProtocol.Instance,
        [GeminiWireProtocol.Instance.Name] = GeminiWireProtocol.Instance,
        [OpenAIResponsesWireProtocol.Instance.Name] = OpenAIResponsesWireProtocol.Instance,
        [AnthropicWireProtocol.Instance.Name] = AnthropicWireProtocol.Instance,
    };

    /// <summary>The protocol named by a spec; unknown names fall back to OpenAI's shape, the lingua franca.</summary>
    public static IWireProtocol Get(string name) => ByName.GetValueOrDefault(name) ?? OpenAIWireProtocol.Instance;
}
