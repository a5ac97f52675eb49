using Manifold.Contracts.OpenAI;

namespace Manifold.Plugins.Sandbox;

/// <summary>
/// What the sandbox answers, decided from the request alone so that the same request always gets the
/// same answer: a call to a tool the user named (or that <c>tool_choice</c> forces), else an echo of the
/// user's words, cut short at <c>max_completion_tokens</c>. Token counts are a rough four characters a token.
/// </summary>
internal sealed class SandboxReply
{
    private const int CharsPerToken = 4;
    private const string NoText = "(no text)";
    private const string NoArguments = "{}";

    private SandboxReply(string? content, string? toolName, string finishReason, long promptTokens, long completionTokens)
    {
        Content = content;
        ToolName = toolName;
        FinishReason = finishReason;
        PromptTokens = promptTokens;
        CompletionTokens = completionTokens;
    }

    /// <summary>The text answer; null when the answer is a tool call.</summary>
    public string? Content { get; }

    /// <summary>The function the answer calls, with arguments <see cref="ToolArguments"/>.</summary>
    public string? ToolName { get; }

    public string ToolArguments => NoArguments;

    public string ToolCallId { get; } = "call_" + Guid.NewGuid().ToString("N")[..24];

    public string FinishReason { get; }

    public long PromptTokens { get; }

    public long CompletionTokens { get; }

    public static SandboxReply For(CreateChatCompletionRequest request)
    {
        var messages = request.Messages ?? [];
        var promptTokens = Tokens(messages.Sum(static m => TextOf(m?.Content).Length));
        var last = messages.LastOrDefault();

        // Only a user turn calls a tool: after the tool's result comes back, the sandbox answers in text, as a model would.
        if (last?.Role == ChatCompletionRequestMessageRoleValues.User && PickTool(request, TextOf(last.Content)) is { } tool)
        {
            return new SandboxReply(null, tool, CreateChatCompletionResponseChoiceFinishReasonValues.ToolCalls, promptTokens, Tokens(tool.Length + NoArguments.Length));
        }

        var text = last?.Role == ChatCompletionRequestMessageRoleValues.Tool
            ? "The tool returned: " + OrNoText(TextOf(last.Content))
            : "You said: " + OrNoText(TextOf(messages.LastOrDefault(static m => m?.Role == ChatCompletionRequestMessageRoleValues.User)?.Content));
        var finishReason = CreateChatCompletionResponseChoiceFinishReasonValues.Stop;
        if ((request.MaxCompletionTokens ?? request.MaxTokens) is { } limit && Tokens(text.Length) > limit)
        {
            text = Truncate(text, (int)Math.Max(0, limit) * CharsPerToken);
            finishReason = CreateChatCompletionResponseChoiceFinishReasonValues.Length;
        }
        return new SandboxReply(text, null, finishReason, promptTokens, Tokens(text.Length));
    }

    public CompletionUsage Usage() => new()
    {
        PromptTokens = PromptTokens,
        CompletionTokens = CompletionTokens,
        TotalTokens = PromptTokens + CompletionTokens,
        PromptTokensDetails = new CompletionUsagePromptTokensDetails { CachedTokens = 0, AudioTokens = 0 },
        CompletionTokensDetails = new CompletionUsageCompletionTokensDetails
        {
            ReasoningTokens = 0, AudioTokens = 0, AcceptedPredictionTokens = 0, RejectedPredictionTokens = 0,
        },
    };

    private static long Tokens(int chars) => Math.Max(1, (chars + CharsPerToken - 1) / CharsPerToken);

    private static string OrNoText(string text) => text.Length == 0 ? NoText : text;

    /// <summary>A message's text: the string, or its text parts joined; images, audio and files have none.</summary>
    private static string TextOf(ChatCompletionRequestMessageContent? content) =>
        content?.StringValue ?? string.Join(' ', content?.ArrayValue?.Select(static p => p?.Text).Where(static t => !string.IsNullOrEmpty(t)) ?? []);

    private static string? PickTool(CreateChatCompletionRequest request, string text)
    {
        var names = (request.Tools ?? []).Select(static t => t?.Function?.Name).OfType<string>().Where(static n => n.Length > 0).ToList();
        var choice = request.ToolChoice;
        if (names.Count == 0 || choice?.StringValue == CreateChatCompletionRequestToolChoiceValues.None)
        {
            return null;
        }
        if (choice?.ObjectValue?.Function?.Name is { } forced && names.Contains(forced))
        {
            return forced;
        }
        // Longest name first, so that "get_weather_forecast" wins over "get_weather" when both appear.
        return names.OrderByDescending(static n => n.Length).FirstOrDefault(n => text.Contains(n, StringComparison.OrdinalIgnoreCase))
            ?? (choice?.StringValue == CreateChatCompletionRequestToolChoiceValues.Required ? names[0] : null);
    }

    private static string Truncate(string text, int length)
    {
        // Never split a surrogate pair: half of one is not valid text to serialize.
        if (length > 0 && length < text.Length && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }
        return text[..Math.Min(length, text.Length)];
    }
}
