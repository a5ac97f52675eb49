using System.Text;

namespace Manifold.Host.Characters;

/// <summary>
/// Finds <c>@name</c> in a prompt: an <c>@</c> at the start or after whitespace, then the name up to the next whitespace
/// (as the seeds write it: "@cat_one 在舞台上 …", a mention set off by spaces). Punctuation that ends a sentence right
/// after a name (<c>@cat_one.</c>) is tried without it too. A name with spaces cannot be mentioned.
/// </summary>
public static class CharacterMentions
{
    private const string Trailing = ".,;:!?)]}\"'，。；：！？）」』";

    /// <summary>Each mention's candidate names (as written, and without trailing punctuation), for one look-up; none without an <c>@</c>.</summary>
    public static IReadOnlyCollection<string> Candidates(string? prompt)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(prompt) || !prompt.Contains('@', StringComparison.Ordinal))
        {
            return names;
        }
        foreach (var (_, token) in Tokens(prompt))
        {
            for (var name = token; name.Length > 0; name = name[..^1])
            {
                names.Add(name);
                if (!Trailing.Contains(name[^1], StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        return names;
    }

    /// <summary>
    /// The prompt with each mention of a known name written as the bare name (OpenAI's guide: mention the character's name
    /// verbatim), and the names mentioned, in order of first mention. Unknown names stay as they were, <c>@</c> and all.
    /// </summary>
    public static (string Prompt, IReadOnlyList<string> Mentioned) Rewrite(string prompt, IReadOnlySet<string> known)
    {
        var text = new StringBuilder(prompt.Length);
        var mentioned = new List<string>();
        var copied = 0;
        foreach (var (at, token) in Tokens(prompt))
        {
            var name = token;
            while (name.Length > 0 && !known.Contains(name) && Trailing.Contains(name[^1], StringComparison.Ordinal))
            {
                name = name[..^1];
            }
            if (name.Length == 0 || !known.Contains(name))
            {
                continue;
            }
            text.Append(prompt, copied, at - copied).Append(name);
            copied = at + 1 + name.Length;
            if (!mentioned.Contains(name))
            {
                mentioned.Add(name);
            }
        }
        text.Append(prompt, copied, prompt.Length - copied);
        return (text.ToString(), mentioned);
    }

    private static IEnumerable<(int At, string Token)> Tokens(string prompt)
    {
        for (var i = 0; i < prompt.Length; i++)
        {
            if (prompt[i] != '@' || (i > 0 && !char.IsWhiteSpace(prompt[i - 1])))
            {
                continue;
            }
            var end = i + 1;
            while (end < prompt.Length && !char.IsWhiteSpace(prompt[end]))
            {
                end++;
            }
            if (end > i + 1)
            {
                yield return (i, prompt[(i + 1)..end]);
            }
            i = end - 1;
        }
    }
}
