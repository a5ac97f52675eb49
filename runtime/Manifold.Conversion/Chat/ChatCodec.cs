using System.Text.Json;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Chat;

/// <summary>
/// OpenAI Chat Completions (<c>POST /v1/chat/completions</c>) to and from the hub. The request side is in
/// ChatCodec.DecodeRequest.cs and ChatCodec.EncodeRequest.cs, answers in ChatCodec.Responses.cs, streams in
/// <see cref="ChatStreamDecoder"/> and <see cref="ChatStreamEncoder"/>.
/// <para>
/// Chat carries reasoning as <c>reasoning_content</c> (DeepSeek's convention) and Manifold's
/// <c>reasoning_signature</c>; see <see cref="ChatReasoning"/> for what is shown to clients and why.
/// </para>
/// </summary>
public sealed partial class ChatCodec
    : ProtocolCodec<CreateChatCompletionRequest, CreateChatCompletionResponse, CreateChatCompletionStreamResponse>
{
    public const string DisplayName = "OpenAI Chat Completions";

    /// <summary>Named in 400s raised while decoding: decoding only happens when another protocol serves the request.</summary>
    internal const string Elsewhere = "a platform that does not speak OpenAI Chat Completions";

    public static ChatCodec Instance { get; } = new();

    private ChatCodec()
    {
    }

    public override string Name => "chat";

    public override IStreamDecoder<CreateChatCompletionStreamResponse> CreateStreamDecoder(HubRequest request) =>
        new ChatStreamDecoder(request);

    public override IStreamEncoder<CreateChatCompletionStreamResponse> CreateStreamEncoder(HubRequest request) =>
        new ChatStreamEncoder(request);

    /// <summary>
    /// The parts of one assistant turn, in hub order: reasoning, text, refusal, then tool calls (with any
    /// reasoning that belonged right before a call, see <see cref="ChatReasoning"/>). Shared by request history,
    /// complete answers and the legacy <c>function_call</c>.
    /// </summary>
    internal static List<HubPart> AssistantParts(
        string? reasoningContent, string? reasoningSignature, string path,
        IEnumerable<HubPart> content, IReadOnlyList<ToolCallPart> toolCalls)
    {
        var (leading, beforeTool) = ChatReasoning.Decode(reasoningContent, reasoningSignature, path + ".reasoning_signature");
        var parts = new List<HubPart>(leading.Count + toolCalls.Count + 2);
        parts.AddRange(leading);
        parts.AddRange(content);
        for (var i = 0; i < toolCalls.Count; i++)
        {
            if (beforeTool?.Remove(i, out var reasoning) == true)
            {
                parts.AddRange(reasoning);
            }
            parts.Add(toolCalls[i]);
        }
        if (beforeTool is not null)
        {
            // Reasoning that came after the last call (its index is the number of calls).
            foreach (var index in beforeTool.Keys.Order())
            {
                parts.AddRange(beforeTool[index]);
            }
        }
        return parts;
    }

    /// <summary>The reasoning text of a message: <c>reasoning_content</c>, or <c>reasoning</c> as vLLM and OpenRouter name it.</summary>
    internal static string? ReasoningText(string? reasoningContent, Dictionary<string, JsonElement>? additional) =>
        reasoningContent
        ?? (additional?.TryGetValue("reasoning", out var reasoning) == true && reasoning.ValueKind == JsonValueKind.String
            ? reasoning.GetString()
            : null);

    /// <summary>The response id with Chat's prefix, which clients and logs recognise.</summary>
    internal static string ChatId(string id) =>
        id.Length == 0 ? "chatcmpl-" + Guid.NewGuid().ToString("N")
        : id.StartsWith("chatcmpl-", StringComparison.Ordinal) ? id
        : "chatcmpl-" + id;

    /// <summary>Unix seconds: the upstream's when it said, else now (Anthropic answers carry no timestamp).</summary>
    internal static long Created(long created) => created != 0 ? created : DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
