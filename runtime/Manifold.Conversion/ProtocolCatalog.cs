using Manifold.Conversion.Chat;
using Manifold.Conversion.Gemini;
using Manifold.Conversion.Messages;
using Manifold.Conversion.Pipeline;
using Manifold.Conversion.Responses;

namespace Manifold.Conversion;

/// <summary>Every protocol Manifold converts between. The host and the golden tests walk these lists.</summary>
public static class ProtocolCatalog
{
    /// <summary>The protocols' codecs, for tests and tools that walk every direction.</summary>
    public static IReadOnlyList<IProtocolCodec> Codecs { get; } =
    [
        ChatCodec.Instance,
        ResponsesCodec.Instance,
        MessagesCodec.Instance,
        GeminiCodec.Instance,
    ];

    /// <summary>Inbound protocols, by the adapter interface their clients call.</summary>
    public static IReadOnlyList<IInboundProtocol> Inbound { get; } =
    [
        ChatProtocol.Instance,
        ResponsesProtocol.Instance,
        MessagesProtocol.Instance,
        GeminiProtocol.Instance,
    ];

    /// <summary>
    /// Platform protocols, in order of preference when a platform speaks several and none is the caller's:
    /// Chat Completions first, as the one every OpenAI-style service speaks.
    /// </summary>
    public static IReadOnlyList<IPlatformProtocol> Platform { get; } =
    [
        ChatProtocol.Instance,
        ResponsesProtocol.Instance,
        MessagesProtocol.Instance,
        GeminiProtocol.Instance,
    ];
}
