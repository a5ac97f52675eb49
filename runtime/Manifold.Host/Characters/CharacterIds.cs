using System.Security.Cryptography;

namespace Manifold.Host.Characters;

/// <summary>
/// Manifold's character ids: <c>char_</c> (as OpenAI's own read) and 128 random bits as 32 lowercase hex digits, so an id
/// tells nothing about another, and the upstream's id never reaches a client.
/// </summary>
public static class CharacterIds
{
    public const string Prefix = "char_";

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether <paramref name="id"/> has the shape of an id this class made (refuses junk before any lookup).</summary>
    public static bool IsWellFormed(string id)
    {
        if (!id.StartsWith(Prefix, StringComparison.Ordinal) || id.Length != Prefix.Length + 32)
        {
            return false;
        }
        foreach (var c in id.AsSpan(Prefix.Length))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
