namespace Manifold.Host.Protocols;

/// <summary>The inbound protocols the host can speak, by the name specs use.</summary>
public static class WireProtocols
{
    private static readonly Dictionary<string, IWireProtocol> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        [OpenAIWireProtocol.Instance.Name] = OpenAIWireProtocol.Instance,
        [GeminiWireProtocol.Instance.Name] = GeminiWireProtocol.Instance,
        [OpenAIResponsesWireProtocol.Instance.Name] = OpenAIResponsesWireProtocol.Instance,
        [OpenAIImagesWireProtocol.Instance.Name] = OpenAIImagesWireProtocol.Instance,
        [AnthropicWireProtocol.Instance.Name] = AnthropicWireProtocol.Instance,
    };

    /// <summary>
    /// The protocols that recognise their clients and own paths, in the order they are asked: Anthropic's header is an
    /// explicit statement, Gemini's is read from how the key is presented. OpenAI is the <see cref="Default"/>.
    /// </summary>
    private static readonly IWireProtocol[] Specific = [AnthropicWireProtocol.Instance, GeminiWireProtocol.Instance];

    /// <summary>The protocol named by a spec; unknown names fall back to OpenAI's shape, the lingua franca.</summary>
    public static IWireProtocol Get(string name) => ByName.GetValueOrDefault(name) ?? Default;

    /// <summary>Whether <paramref name="name"/> is a protocol the host speaks (rather than one <see cref="Get"/> falls back from).</summary>
    public static bool Knows(string name) => ByName.ContainsKey(name);

    /// <summary>The protocol that answers what no other protocol claims.</summary>
    public static IWireProtocol Default => OpenAIWireProtocol.Instance;

    /// <summary>The protocol <paramref name="request"/>'s client speaks, as far as the request tells; <see cref="Default"/> when it does not.</summary>
    public static IWireProtocol ClientOf(HttpRequest request)
    {
        foreach (var protocol in Specific)
        {
            if (protocol.IsClient(request))
            {
                return protocol;
            }
        }
        return Default;
    }

    /// <summary>
    /// The protocol whose API an unknown <paramref name="path"/> belongs to, so its 404 is in that protocol's shape; the
    /// path is tried as it is and without a first segment, as it would be under <c>/{platform}</c> (any name: an unknown
    /// platform's path is still, say, a Gemini path).
    /// </summary>
    public static IWireProtocol OwnerOf(PathString path)
    {
        var value = path.Value ?? string.Empty;
        var slash = value.Length > 1 ? value.IndexOf('/', 1) : -1;
        foreach (var candidate in slash > 0 ? new[] { value, value[slash..] } : [value])
        {
            foreach (var protocol in Specific)
            {
                if (protocol.OwnsPath(candidate))
                {
                    return protocol;
                }
            }
        }
        return Default;
    }
}
