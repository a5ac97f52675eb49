namespace Manifold.Host.Tasks.Videos;

/// <summary>
/// The video lengths each platform kind makes, as its upstream documents them, and the one rounding rule every door that
/// takes a free length (/v2's <c>duration</c>, a chat model's <c>-10s</c> or a <c>15s</c> prompt prefix) applies to them.
/// One table, so the doors cannot drift apart; the plugins still check what they send (VeoMapping refuses what Veo refuses).
/// </summary>
internal static class VideoLengths
{
    private static readonly int[] Sora = [4, 8, 12];
    private static readonly int[] Veo3 = [4, 6, 8];
    private static readonly int[] Veo2 = [5, 6, 8];
    private static readonly int[] VeoHd = [8];

    /// <summary>
    /// The lengths <paramref name="kind"/> makes for <paramref name="model"/> (Veo by model family; Veo makes 1080p only at
    /// 8 seconds, so <paramref name="hd"/> narrows it); null for a kind whose lengths Manifold does not know (passed as asked).
    /// </summary>
    public static IReadOnlyList<int>? For(string kind, string model, bool hd = false) => kind switch
    {
        "sora" or "sandbox" => Sora,
        "veo" when hd => VeoHd,
        "veo" => model.StartsWith("veo-2", StringComparison.OrdinalIgnoreCase) ? Veo2 : Veo3,
        _ => null,
    };

    /// <summary>The allowed length nearest <paramref name="asked"/>; between two as near, the longer, so rounding never short-changes.</summary>
    public static int Nearest(IReadOnlyList<int> allowed, double asked)
    {
        var best = allowed[0];
        foreach (var length in allowed)
        {
            var distance = Math.Abs(length - asked);
            var bestDistance = Math.Abs(best - asked);
            if (distance < bestDistance || (distance == bestDistance && length > best))
            {
                best = length;
            }
        }
        return best;
    }
}
