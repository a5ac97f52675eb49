namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// Canonical prefix (Huffman) codes as DEFLATE and WebP lossless define them: a code is given by one length per
/// symbol (0 for an unused symbol), and codes of equal length are consecutive in symbol order, shorter codes first.
/// </summary>
internal static class PrefixCode
{
    /// <summary>
    /// Optimal code lengths of at most <paramref name="maxLength"/> bits for <paramref name="frequencies"/>, by the
    /// package-merge algorithm (Larmore and Hirschberg). Unused symbols get length 0; a lone used symbol gets length 1
    /// (a format may read it with no bits at all, as WebP lossless does); two or more used symbols always make a
    /// complete code, Σ 2^-length = 1.
    /// </summary>
    public static void BuildLengths(ReadOnlySpan<long> frequencies, int maxLength, Span<byte> lengths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, 30);
        if (lengths.Length < frequencies.Length)
        {
            throw new ArgumentException("There must be a length for every symbol.", nameof(lengths));
        }
        lengths[..frequencies.Length].Clear();

        var used = 0;
        for (var s = 0; s < frequencies.Length; s++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(frequencies[s], nameof(frequencies));
            used += frequencies[s] > 0 ? 1 : 0;
        }
        if (used == 0)
        {
            return;
        }
        if (used == 1)
        {
            lengths[frequencies.IndexOfAnyExcept(0L)] = 1;
            return;
        }
        if (used > 1 << maxLength)
        {
            throw new ArgumentException($"{used} symbols do not fit in codes of at most {maxLength} bits.", nameof(frequencies));
        }

        // The leaves, lightest first (ties by symbol, so the result is deterministic).
        var leaves = new Item[used];
        for (int s = 0, i = 0; s < frequencies.Length; s++)
        {
            if (frequencies[s] > 0)
            {
                leaves[i++] = new Item(frequencies[s], s, -1);
            }
        }
        Array.Sort(leaves, static (a, b) => a.Weight != b.Weight ? a.Weight.CompareTo(b.Weight) : a.Symbol.CompareTo(b.Symbol));

        // levels[0] is the leaves (the coins of denomination 2^-maxLength); each further level merges the leaves
        // with the pairs ("packages") of the level below, a package i holding that level's items 2i and 2i + 1.
        var levels = new Item[maxLength][];
        levels[0] = leaves;
        for (var level = 1; level < maxLength; level++)
        {
            var below = levels[level - 1];
            var packages = below.Length / 2;
            var merged = new Item[used + packages];
            int l = 0, p = 0, m = 0;
            while (l < used || p < packages)
            {
                var packageWeight = p < packages ? below[2 * p].Weight + below[2 * p + 1].Weight : long.MaxValue;
                if (l < used && leaves[l].Weight <= packageWeight)
                {
                    merged[m++] = leaves[l++];
                }
                else
                {
                    merged[m++] = new Item(packageWeight, -1, 2 * p);
                    p++;
                }
            }
            levels[level] = merged;
        }

        // The cheapest 2n - 2 items of the top level; a symbol's length is how often its leaf occurs in them.
        var stack = new Stack<(int Level, int Index)>();
        for (var i = 0; i < 2 * used - 2; i++)
        {
            stack.Push((maxLength - 1, i));
        }
        while (stack.TryPop(out var entry))
        {
            var item = levels[entry.Level][entry.Index];
            if (item.Symbol >= 0)
            {
                lengths[item.Symbol]++;
            }
            else
            {
                stack.Push((entry.Level - 1, item.FirstChild));
                stack.Push((entry.Level - 1, item.FirstChild + 1));
            }
        }
    }

    /// <summary>
    /// The canonical codes for <paramref name="lengths"/>, most significant bit first (as DEFLATE's and WebP's
    /// decoders read them bit by bit). The lengths must describe a prefix code (Σ 2^-length ≤ 1).
    /// </summary>
    public static void AssignCodes(ReadOnlySpan<byte> lengths, Span<uint> codes)
    {
        if (codes.Length < lengths.Length)
        {
            throw new ArgumentException("There must be a code for every symbol.", nameof(codes));
        }
        var maxLength = 0;
        foreach (var length in lengths)
        {
            maxLength = Math.Max(maxLength, length);
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, 31, nameof(lengths));
        Span<uint> count = stackalloc uint[maxLength + 1];
        foreach (var length in lengths)
        {
            count[length]++;
        }
        count[0] = 0;
        Span<uint> next = stackalloc uint[maxLength + 1];
        var code = 0u;
        for (var length = 1; length <= maxLength; length++)
        {
            code = (code + count[length - 1]) << 1;
            next[length] = code;
        }
        for (var s = 0; s < lengths.Length; s++)
        {
            var length = lengths[s];
            if (length == 0)
            {
                codes[s] = 0;
                continue;
            }
            codes[s] = next[length]++;
            if (codes[s] >> length != 0)
            {
                throw new ArgumentException("The code lengths over-subscribe the code space.", nameof(lengths));
            }
        }
    }

    /// <summary>The low <paramref name="length"/> bits of <paramref name="code"/> in reverse order.</summary>
    public static uint Reverse(uint code, int length) => length == 0 ? 0 : ReverseAll(code) >> (32 - length);

    private static uint ReverseAll(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        return System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
    }

    private readonly record struct Item(long Weight, int Symbol, int FirstChild);
}
