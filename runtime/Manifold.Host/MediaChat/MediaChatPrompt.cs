using Manifold.Contracts;
using Manifold.Contracts.OpenAI;

namespace Manifold.Host.MediaChat;

/// <summary>
/// What a chat request asks a media model for: the last user message's text (its text parts joined) as the prompt,
/// and its <c>image_url</c> parts (a URL or a <c>data:</c> URL) as reference images. Earlier turns are conversation, not
/// instructions to the picture.
/// </summary>
internal sealed record MediaChatPrompt(string Text, IReadOnlyList<string> Images)
{
    public static MediaChatPrompt From(CreateChatCompletionRequest request)
    {
        var last = request.Messages?.LastOrDefault(static m => m?.Role == ChatCompletionRequestMessageRoleValues.User)
            ?? throw new ManifoldException(400, "invalid_request_error", "A media model needs a user message with the prompt.", "messages");
        var images = new List<string>();
        string text;
        if (last.Content?.ArrayValue is { } parts)
        {
            text = string.Join('\n', parts.Where(static p => p?.Type == "text" && !string.IsNullOrWhiteSpace(p.Text)).Select(static p => p!.Text!.Trim()));
            foreach (var part in parts)
            {
                if (part?.Type == "image_url" && part.ImageUrl?.Url is { Length: > 0 } url)
                {
                    images.Add(url);
                }
            }
        }
        else
        {
            text = last.Content?.StringValue?.Trim() ?? string.Empty;
        }
        return new MediaChatPrompt(text, images);
    }
}
