using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;

namespace Manifold.Conversion.Pipeline;

/// <summary>
/// What the host needs to serve one inbound protocol on any platform. Implemented once per protocol
/// (Chat Completions, Responses, Anthropic Messages, Gemini); the host finds it by adapter type.
/// </summary>
public interface IInboundProtocol
{
    /// <summary>The generated adapter interface a client of this protocol calls, e.g. <c>IMessagesAdapter</c>.</summary>
    Type AdapterType { get; }

    /// <summary>The protocol's name in messages ("Anthropic Messages").</summary>
    string DisplayName { get; }

    /// <summary>
    /// Readies a typed inbound request before any platform sees it, passing through or converted:
    /// applies the model suffix (the body's model becomes <see cref="ModelSuffix.Model"/> and the reasoning
    /// options are set in this protocol's own fields), removes the <see cref="RequestExtras"/> from the
    /// body, and returns the output options (the query's, overridden by the body's).
    /// </summary>
    OutputOptions Prepare(object request, ModelSuffix? suffix, OutputOptions fromQuery);

    /// <summary>
    /// An implementation of <see cref="AdapterType"/> that serves this protocol through <paramref name="target"/>, counting
    /// tokens with <paramref name="counter"/> (null: the platform has no counter, and counts are estimated).
    /// </summary>
    object CreateBridge(IHubTarget target, IHubTokenCounter? counter, OutputOptions output);

    /// <summary>
    /// For pass-through (the platform speaks this protocol natively): applies the output options to a
    /// complete response (e.g. strips reasoning for <c>close_reasoning_content</c>). Returns the response to send.
    /// </summary>
    object FilterResponse(object response, OutputOptions output);

    /// <summary>
    /// For pass-through: a filter for ONE stream that applies the output options to each chunk in order
    /// (null drops the chunk). It may keep per-stream state, e.g. to renumber blocks after a dropped one.
    /// </summary>
    Func<object, object?> CreateChunkFilter(OutputOptions output);
}

/// <summary>A platform protocol Manifold can convert into: a native adapter interface and its hub target.</summary>
public interface IPlatformProtocol
{
    /// <summary>The generated adapter interface a platform implements to speak this protocol.</summary>
    Type AdapterType { get; }

    /// <summary>A hub target over <paramref name="adapter"/>, an instance of <see cref="AdapterType"/>.</summary>
    IHubTarget CreateTarget(object adapter);

    /// <summary>The protocol's input-token counter over <paramref name="adapter"/>; null when the protocol has none (Chat Completions).</summary>
    IHubTokenCounter? CreateCounter(object adapter);
}
