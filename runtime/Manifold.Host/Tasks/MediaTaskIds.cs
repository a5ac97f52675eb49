using System.Security.Cryptography;

namespace Manifold.Host.Tasks;

/// <summary>
/// Ids Manifold hands out for jobs: a kind prefix (<c>video_</c>, <c>img_</c>, as OpenAI's own ids read) and 128
/// random bits as 32 lowercase hex digits. Unguessable, so knowing one id tells nothing about another; lowercase
/// alphanumeric after the prefix, because Gemini clients parse operation and file ids that way.
/// </summary>
public static class MediaTaskIds
{
    public static string New(string kind) => Prefix(kind) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Prefix(string kind) => kind == MediaKinds.Image ? "img_" : "video_";

    /// <summary>Whether <paramref name="id"/> has the shape of an id this class made (cheap; refuses junk before any lookup).</summary>
    public static bool IsWellFormed(string id)
    {
        var underscore = id.IndexOf('_');
        if (underscore <= 0 || id.Length - underscore - 1 != 32)
        {
            return false;
        }
        foreach (var c in id.AsSpan(underscore + 1))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>
/// Job ids as Google's clients need them: <c>@google/genai</c> takes a file id from a uri as the first run of lowercase
/// letters and digits after <c>files/</c>, so the Gemini surface names a job without its underscore
/// (<c>video3f0c…</c> for <c>video_3f0c…</c>); both spellings find the job.
/// </summary>
public static class CompactTaskIds
{
    public static string Of(string id) => id.Replace("_", "", StringComparison.Ordinal);

    /// <summary>The job id <paramref name="id"/> names, in either spelling; null when it has the shape of neither.</summary>
    public static string? Parse(string id)
    {
        if (MediaTaskIds.IsWellFormed(id))
        {
            return id;
        }
        foreach (var kind in (ReadOnlySpan<string>)[MediaKinds.Video, MediaKinds.Image])
        {
            var prefix = MediaTaskIds.Prefix(kind);
            var bare = prefix[..^1];
            if (id.Length == bare.Length + 32 && id.StartsWith(bare, StringComparison.Ordinal))
            {
                var full = prefix + id[bare.Length..];
                return MediaTaskIds.IsWellFormed(full) ? full : null;
            }
        }
        return null;
    }
}
