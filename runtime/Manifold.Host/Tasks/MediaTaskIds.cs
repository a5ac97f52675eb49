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
