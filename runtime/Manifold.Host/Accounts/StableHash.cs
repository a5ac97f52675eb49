namespace Manifold.Host.Accounts;

/// <summary>
/// A 64-bit hash that is the same in every process (string.GetHashCode is randomised per process), so that every node
/// sends a sticky session to the same account. FNV-1a over the UTF-16 code units, then a finaliser that spreads the bits.
/// </summary>
internal static class StableHash
{
    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return Mix(hash);
    }

    /// <summary>MurmurHash3's 64-bit finaliser: every input bit moves about half the output bits.</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccdUL;
        value ^= value >> 33;
        value *= 0xc4ceb9fe1a85ec53UL;
        value ^= value >> 33;
        return value;
    }
}
