using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Contracts.Upstream;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Messages;

/// <summary>
/// Anthropic Messages (<c>POST /v1/messages</c>) to and from the hub. The request side is in
/// MessagesCodec.DecodeRequest.cs and MessagesCodec.EncodeRequest.cs, answers in MessagesCodec.Responses.cs,
/// streams in <see cref="MessagesStreamDecoder"/> and <see cref="MessagesStreamEncoder"/>.
/// <para>
/// Anthropic carries reasoning as <c>thinking</c> blocks with a <c>signature</c> (and <c>redacted_thinking</c>
/// blocks with opaque <c>data</c>), which map one to one onto <see cref="ReasoningPart"/>; tool results travel
/// in user messages; <c>input_tokens</c> excludes cache reads and writes (see <see cref="MessagesUsage"/>).
/// </para>
/// </summary>
public sealed partial class MessagesCodec : ProtocolCodec<CreateMessageRequest, Message, MessageStreamEvent>
{
    public const string DisplayName = "Anthropic Messages";

    /// <summary>Named in 400s raised while decoding: decoding only happens when another protocol serves the request.</summary>
    internal const string Elsewhere = "a platform that does not speak Anthropic Messages";

    public static MessagesCodec Instance { get; } = new();

    private MessagesCodec()
    {
    }

    public override string Name => "messages";

    public override IStreamDecoder<MessageStreamEvent> CreateStreamDecoder(HubRequest request) => new MessagesStreamDecoder(request);

    public override IStreamEncoder<MessageStreamEvent> CreateStreamEncoder(HubRequest request) => new MessagesStreamEncoder(request);

    /// <summary>The message id with Anthropic's prefix, which clients and logs recognise.</summary>
    internal static string MessageId(string id) =>
        id.Length == 0 ? "msg_" + Guid.NewGuid().ToString("N")
        : id.StartsWith("msg_", StringComparison.Ordinal) ? id
        : "msg_" + id;

    /// <summary>
    /// A tool call's arguments as the JSON object Anthropic's <c>input</c> is. Empty arguments (a call without
    /// parameters, as some platforms stream it) are <c>{}</c>.
    /// </summary>
    internal static JsonElement ToolInput(string arguments, string param)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return EmptyObject;
        }
        try
        {
            using var document = JsonDocument.Parse(arguments);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ConversionException(param, $"'{param}' is not valid JSON, and Anthropic Messages carries tool arguments as a JSON object.");
        }
    }

    /// <summary>
    /// The JSON text of a tool call's input, compact (a client's pretty-printed history reads as the API's own
    /// output does); <c>{}</c> when absent.
    /// </summary>
    internal static string ToolArguments(JsonElement? input) =>
        input is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } value ? JsonSerializer.Serialize(value, ManifoldJson.Options) : "{}";

    internal static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>
    /// The <c>caller</c> of a tool_use block the model called itself. Anthropic's types declare it on every tool_use
    /// block of an answer; a converted answer's calls are always the model's own.
    /// </summary>
    internal static JsonElement DirectCaller { get; } = JsonDocument.Parse("""{"type":"direct"}""").RootElement.Clone();

    /// <summary>A tool_use block of an answer (whole, or started empty in a stream).</summary>
    internal static ContentBlock ToolUseBlock(string id, string name, JsonElement input) =>
        new() { Type = "tool_use", Id = id, Name = name, Input = input, Caller = DirectCaller };

    /// <summary>Throws for fields of a client's block or object that Manifold does not model and so cannot carry.</summary>
    internal static void RejectUnknown(Dictionary<string, JsonElement>? additional, string? path)
    {
        if (additional is null)
        {
            return;
        }
        foreach (var name in additional.Keys)
        {
            var param = path is null ? name : $"{path}.{name}";
            throw ConversionException.Unsupported(param, Elsewhere, "Manifold does not know this field.");
        }
    }

    /// <summary>The error Anthropic sent inside a stream, as the exception the host reports (only seen when an adapter yields it).</summary>
    internal static UpstreamException StreamError(ErrorObject? error)
    {
        var type = error?.Type ?? AnthropicErrorTypes.Api;
        var status = AnthropicErrorTypes.StatusOf(type);
        return new UpstreamException(status, type, error?.Message ?? "The upstream reported an error inside the stream.", retryable: RetryableStatuses.Contains(status));
    }
}
