using System.Text.RegularExpressions;

namespace Manifold.Host.MediaChat;

/// <summary>One shot of a storyboard: how long it lasts and what it shows.</summary>
public sealed record StoryboardShot(double Seconds, string Scene);

/// <summary>
/// A multi-shot prompt in either of the seeds' forms: seed 002's <c>Shot 1:\nduration: 7.5sec\nScene: …</c> blocks, or
/// seed 003's <c>[5.0s]text [5.0s]text</c>. Recognised so that a platform that cannot take one refuses it plainly instead
/// of rendering the markup as a scene.
/// </summary>
public sealed partial record Storyboard(IReadOnlyList<StoryboardShot> Shots)
{
    public double TotalSeconds => Shots.Sum(static s => s.Seconds);

    /// <summary>The storyboard <paramref name="prompt"/> is, or null when it is an ordinary prompt.</summary>
    public static Storyboard? Parse(string prompt)
    {
        var text = prompt.Trim();
        // The seeds' docs show the form with escaped newlines; a client that copied it literally means the same.
        if (text.StartsWith("Shot ", StringComparison.OrdinalIgnoreCase) && text.Contains("\\n", StringComparison.Ordinal))
        {
            text = text.Replace("\\n", "\n", StringComparison.Ordinal);
        }
        return Blocks(text) ?? Brackets(text);
    }

    private static Storyboard? Blocks(string text)
    {
        var matches = ShotBlock().Matches(text);
        if (matches.Count == 0 || matches[0].Index != 0)
        {
            return null;
        }
        var shots = new List<StoryboardShot>();
        foreach (Match match in matches)
        {
            if (!MediaModelName.TryReadSeconds(match.Groups["seconds"].Value.Replace(" ", "", StringComparison.Ordinal), out var seconds))
            {
                return null;
            }
            shots.Add(new StoryboardShot(seconds, match.Groups["scene"].Value.Trim()));
        }
        return new Storyboard(shots);
    }

    private static Storyboard? Brackets(string text)
    {
        var matches = BracketShot().Matches(text);
        if (matches.Count == 0 || matches[0].Index != 0)
        {
            return null;
        }
        var shots = new List<StoryboardShot>();
        foreach (Match match in matches)
        {
            if (!MediaModelName.TryReadSeconds(match.Groups["seconds"].Value, out var seconds))
            {
                return null;
            }
            shots.Add(new StoryboardShot(seconds, match.Groups["scene"].Value.Trim()));
        }
        return new Storyboard(shots);
    }

    // "Shot 1:\nduration: 7.5sec\nScene: text" up to the next "Shot n:" or the end.
    [GeneratedRegex(@"Shot\s*\d+\s*:\s*duration\s*:\s*(?<seconds>\d+(?:\.\d+)?\s*(?:sec|s|秒))\s*Scene\s*:\s*(?<scene>.*?)(?=\s*Shot\s*\d+\s*:|\s*$)",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ShotBlock();

    // "[5.0s]text" up to the next "[n s]" or the end.
    [GeneratedRegex(@"\[(?<seconds>\d+(?:\.\d+)?(?:s|sec|秒))\]\s*(?<scene>.*?)(?=\s*\[\d+(?:\.\d+)?(?:s|sec|秒)\]|\s*$)",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex BracketShot();
}
