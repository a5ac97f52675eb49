using System.Text;
using Manifold.Contracts.OpenAI;

namespace Manifold.Host.MediaChat;

/// <summary>
/// The Chat Completions shapes of a media answer: progress chunks (<c>delta.reasoning_content</c>), the result as markdown
/// in <c>content</c>, and usage. The answer's id is <c>chatcmpl-</c> and the job's id, so the two are easy to match.
/// </summary>
internal sealed class MediaChatAnswers(string jobId, string model, long created)
{
    public string Id { get; } = "chatcmpl-" + jobId;

    public CreateChatCompletionStreamResponse Role() =>
        Chunk(new ChatCompletionStreamResponseDelta { Role = ChatCompletionStreamResponseDeltaRoleValues.Assistant, Content = string.Empty });

    public CreateChatCompletionStreamResponse Reasoning(string text) => Chunk(new ChatCompletionStreamResponseDelta { ReasoningContent = text });

    public CreateChatCompletionStreamResponse Content(string text) => Chunk(new ChatCompletionStreamResponseDelta { Content = text });

    public CreateChatCompletionStreamResponse Finish() =>
        Chunk(new ChatCompletionStreamResponseDelta(), CreateChatCompletionResponseChoiceFinishReasonValues.Stop);

    /// <summary>OpenAI's last chunk when <c>stream_options.include_usage</c> asks: no choices, the usage.</summary>
    public CreateChatCompletionStreamResponse UsageChunk() =>
        new() { Id = Id, Created = created, Model = model, Choices = [], Usage = Usage() };

    public CreateChatCompletionResponse Completion(string content, string? reasoning) => new()
    {
        Id = Id,
        Created = created,
        Model = model,
        Choices =
        [
            new CreateChatCompletionResponseChoice
            {
                Index = 0,
                Message = new ChatCompletionResponseMessage { Content = content, ReasoningContent = reasoning },
                FinishReason = CreateChatCompletionResponseChoiceFinishReasonValues.Stop,
            },
        ],
        Usage = Usage(),
    };

    /// <summary>
    /// No tokens: the job is metered on its own when it finishes (its images, its seconds of video, the platform's own
    /// token counts), and the chat request counts as one request, so nothing is charged twice.
    /// </summary>
    public static CompletionUsage Usage() => new() { PromptTokens = 0, CompletionTokens = 0, TotalTokens = 0 };

    /// <summary>A finished video as markdown: a link to its file, which works without a licence until it expires.</summary>
    public static string VideoMarkdown(string jobId, string url) => $"[{jobId}.mp4]({url})";

    /// <summary>Finished images as markdown embeds, one a line.</summary>
    public static string ImagesMarkdown(IEnumerable<string> urls)
    {
        var text = new StringBuilder();
        foreach (var url in urls)
        {
            text.Append(text.Length == 0 ? "" : "\n").Append("![image](").Append(url).Append(')');
        }
        return text.ToString();
    }

    private CreateChatCompletionStreamResponse Chunk(ChatCompletionStreamResponseDelta delta, string? finishReason = null) => new()
    {
        Id = Id,
        Created = created,
        Model = model,
        Choices = [new CreateChatCompletionStreamResponseChoice { Index = 0, Delta = delta, FinishReason = finishReason }],
    };
}
