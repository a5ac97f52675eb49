namespace Manifold.Host.MediaChat;

/// <summary>
/// The seeds' way to ask for options in the prompt itself: the prompt opens with any of 竖屏 (portrait), 横屏
/// (landscape), 高清 (HD) and a length such as <c>15s</c>, separated by spaces or commas (<c>竖屏,15s,高清 a cat</c>). They
/// are taken off the prompt; the model name's options win where both say something.
/// </summary>
public static class PromptOptions
{
    private static readonly char[] Separators = [' ', '\t', '\n', '\r', ',', '，', '、', ';', '；', '(', ')', '（', '）'];

    /// <summary>The prompt without its leading options, and <paramref name="name"/> completed with what they ask.</summary>
    public static (string Prompt, MediaModelName Options) Take(string prompt, MediaModelName name)
    {
        var (orientation, hd, seconds) = (name.Orientation, name.Hd, name.Seconds);
        var position = 0;
        var consumed = 0;
        while (true)
        {
            while (position < prompt.Length && Array.IndexOf(Separators, prompt[position]) >= 0)
            {
                position++;
            }
            var end = position;
            while (end < prompt.Length && Array.IndexOf(Separators, prompt[end]) < 0)
            {
                end++;
            }
            var token = prompt.AsSpan(position, end - position);
            // Options may run together without a separator (竖屏高清): read the known words off the front one by one.
            var matched = false;
            while (token.Length > 0)
            {
                if (token.StartsWith("竖屏", StringComparison.Ordinal))
                {
                    orientation = orientation == MediaOrientation.Default ? MediaOrientation.Portrait : orientation;
                }
                else if (token.StartsWith("横屏", StringComparison.Ordinal))
                {
                    orientation = orientation == MediaOrientation.Default ? MediaOrientation.Landscape : orientation;
                }
                else if (token.StartsWith("高清", StringComparison.Ordinal))
                {
                    hd = true;
                }
                else if (MediaModelName.TryReadSeconds(token, out var value))
                {
                    seconds ??= value;
                    token = [];
                    matched = true;
                    break;
                }
                else
                {
                    break;
                }
                token = token[2..];
                matched = true;
            }
            if (!matched || token.Length > 0)
            {
                break;
            }
            position = end;
            consumed = end;
        }
        var rest = consumed == 0 ? prompt : prompt[consumed..].TrimStart(Separators);
        return (rest, name with { Orientation = orientation, Hd = hd, Seconds = seconds });
    }
}
