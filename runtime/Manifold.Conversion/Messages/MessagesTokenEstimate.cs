using System.Text;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Messages;

/// <summary>
/// An estimate of <c>count_tokens</c> for platforms that have no token counter of their own (those that speak only Chat
/// Completions: openai-compatible, sandbox). It answers every client's count there: Gemini's countTokens and OpenAI's
/// input_tokens are estimated as the request would reach a Messages platform (<see cref="Pipeline.TokenCounting"/>), so
/// one conversation gets one estimate whatever protocol asks. It counts what the request really holds, with these rules:
/// <list type="bullet">
/// <item>Text (system prompt, text blocks, plain-text documents, tool results, tool names, descriptions and
/// input schemas, tool call inputs): UTF-8 bytes / 4, rounded up at the end. About four bytes per token is
/// the usual rate for English and code; scripts with multi-byte characters come out lower than real.</item>
/// <item>Each message: 3 tokens for its role and turn markers; 3 more for the reply's priming.</item>
/// <item>Tools: 300 tokens once, for the tool-use instructions Anthropic documents adding to the system prompt
/// (about 300 to 350 tokens, by model and tool_choice).</item>
/// <item>Images, and PDF or file documents, whose size in tokens depends on pixels and pages Manifold does
/// not decode: 1,600 tokens each, Anthropic's documented cost of an image at its largest unscaled size.</item>
/// <item>Thinking blocks: nothing, as Anthropic does not count earlier turns' thinking either.</item>
/// </list>
/// </summary>
internal static class MessagesTokenEstimate
{
    private const int BytesPerToken = 4;
    private const long PerMessage = 3;
    private const long ReplyPriming = 3;
    private const long ToolInstructions = 300;
    private const long PerImage = 1600;

    /// <summary>The estimate of a request from another protocol: counted as it would reach a Messages platform.</summary>
    public static long Count(HubRequest request) => Count(MessagesCounter.ToCountRequest(MessagesCodec.Instance.EncodeRequest(request)));

    public static long Count(CountTokensRequest request)
    {
        var counter = new Counter();
        if (request.System?.StringValue is { } system)
        {
            counter.Text(system);
        }
        counter.Blocks(request.System?.ArrayValue);
        foreach (var message in request.Messages)
        {
            counter.Tokens += PerMessage;
            counter.Text(message.Content?.StringValue);
            counter.Blocks(message.Content?.ArrayValue);
        }
        if (request.Tools is { Count: > 0 } tools)
        {
            counter.Tokens += ToolInstructions;
            foreach (var tool in tools)
            {
                counter.Text(tool.Name);
                counter.Text(tool.Description);
                counter.Text(tool.InputSchema?.GetRawText());
            }
        }
        return counter.Tokens + ReplyPriming + (counter.Bytes + BytesPerToken - 1) / BytesPerToken;
    }

    private sealed class Counter
    {
        public long Bytes;
        public long Tokens;

        public void Text(string? text)
        {
            if (text is not null)
            {
                Bytes += Encoding.UTF8.GetByteCount(text);
            }
        }

        public void Blocks(List<ContentBlock>? blocks)
        {
            foreach (var block in blocks ?? [])
            {
                switch (block?.Type)
                {
                    case "text":
                        Text(block.Text);
                        break;
                    case "image":
                        Tokens += PerImage;
                        break;
                    case "document" when block.Source?.ObjectValue is { Type: "text" } source:
                        Text(block.Title);
                        Text(source.Data);
                        break;
                    case "document" when block.Source?.ObjectValue is { Type: "content" } source:
                        Text(block.Title);
                        Text(source.Content?.StringValue);
                        Blocks(source.Content?.ArrayValue);
                        break;
                    case "document":
                        Text(block.Title);
                        Tokens += PerImage;
                        break;
                    case "tool_use":
                        Text(block.Name);
                        Text(block.Input?.GetRawText());
                        break;
                    case "tool_result":
                        Text(block.Content?.StringValue);
                        Blocks(block.Content?.ArrayValue);
                        break;
                    case "search_result":
                        Text(block.Title);
                        Blocks(block.Content?.ArrayValue);
                        break;
                }
            }
        }
    }
}
