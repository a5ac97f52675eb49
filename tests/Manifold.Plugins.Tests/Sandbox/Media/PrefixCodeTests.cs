using Manifold.Plugins.Sandbox.Media;

namespace Manifold.Plugins.Tests.Sandbox.Media;

public sealed class PrefixCodeTests
{
    [Fact]
    public void No_symbols_get_no_lengths_and_a_lone_symbol_gets_one_bit()
    {
        var lengths = new byte[10];
        PrefixCode.BuildLengths(new long[10], 15, lengths);
        Assert.All(lengths, l => Assert.Equal(0, l));

        var frequencies = new long[10];
        frequencies[7] = 42;
        PrefixCode.BuildLengths(frequencies, 15, lengths);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1, 0, 0], lengths);
    }

    [Fact]
    public void Two_symbols_get_one_bit_each_however_lopsided()
    {
        var lengths = new byte[256];
        var frequencies = new long[256];
        frequencies[3] = 1;
        frequencies[200] = 1_000_000_000_000;
        PrefixCode.BuildLengths(frequencies, 15, lengths);
        Assert.Equal(1, lengths[3]);
        Assert.Equal(1, lengths[200]);
        Assert.Equal(2, lengths.Count(l => l != 0));
    }

    [Fact]
    public void Fibonacci_frequencies_are_limited_to_15_bits_and_stay_complete()
    {
        // Fibonacci weights make the deepest Huffman trees: unlimited, 40 symbols would need 39 bits.
        var frequencies = new long[40];
        frequencies[0] = frequencies[1] = 1;
        for (var i = 2; i < frequencies.Length; i++)
        {
            frequencies[i] = frequencies[i - 1] + frequencies[i - 2];
        }
        Assert.Equal(39, ReferenceHuffmanLengths(frequencies).Max());

        var lengths = new byte[40];
        PrefixCode.BuildLengths(frequencies, 15, lengths);
        Assert.Equal(15, lengths.Max());
        Assert.All(lengths, l => Assert.InRange(l, 1, 15));
        AssertComplete(lengths, 15);
        // Heavier symbols never get longer codes.
        for (var i = 1; i < lengths.Length; i++)
        {
            Assert.True(lengths[i] <= lengths[i - 1], $"symbol {i} ({frequencies[i]}) has {lengths[i]} bits, symbol {i - 1} has {lengths[i - 1]}");
        }
        // Optimal among 15-bit codes: no better than the unlimited Huffman code, and no worse than a greedy fix-up.
        Assert.True(Cost(frequencies, lengths) >= Cost(frequencies, ReferenceHuffmanLengths(frequencies)));
        Assert.True(Cost(frequencies, lengths) <= Cost(frequencies, HeuristicLimited(frequencies, 15)));
    }

    [Theory]
    [InlineData(1, 280, 15)]
    [InlineData(2, 256, 15)]
    [InlineData(3, 19, 7)]
    [InlineData(4, 40, 15)]
    [InlineData(5, 3, 2)]
    [InlineData(6, 128, 7)]
    public void Random_frequencies_give_optimal_complete_codes_within_the_limit(int seed, int alphabet, int limit)
    {
        var random = new Random(seed);
        for (var round = 0; round < 50; round++)
        {
            var frequencies = new long[alphabet];
            for (var s = 0; s < alphabet; s++)
            {
                // Some unused symbols, some rare, some very common: skewed enough to press on the limit.
                frequencies[s] = random.Next(4) == 0 ? 0 : (long)Math.Pow(2, random.NextDouble() * 30);
            }
            frequencies[random.Next(alphabet)] = 1;
            frequencies[random.Next(alphabet)] = 1_000_000_007;
            var used = frequencies.Count(f => f > 0);
            if (used < 2)
            {
                continue;
            }
            var lengths = new byte[alphabet];
            PrefixCode.BuildLengths(frequencies, limit, lengths);
            for (var s = 0; s < alphabet; s++)
            {
                Assert.Equal(frequencies[s] > 0, lengths[s] > 0);
            }
            Assert.True(lengths.Max() <= limit, $"a {lengths.Max()}-bit code over the {limit}-bit limit");
            AssertComplete(lengths, limit);

            var reference = ReferenceHuffmanLengths(frequencies);
            if (reference.Max() <= limit)
            {
                // The limit does not bind: exactly as short as Huffman's.
                Assert.Equal(Cost(frequencies, reference), Cost(frequencies, lengths));
            }
            else
            {
                Assert.True(Cost(frequencies, lengths) >= Cost(frequencies, reference));
                Assert.True(Cost(frequencies, lengths) <= Cost(frequencies, HeuristicLimited(frequencies, limit)));
            }
        }
    }

    [Fact]
    public void Canonical_codes_follow_rfc_1951s_example()
    {
        // RFC 1951 §3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) for A–H give 010 011 100 101 110 00 1110 1111.
        byte[] lengths = [3, 3, 3, 3, 3, 2, 4, 4];
        var codes = new uint[8];
        PrefixCode.AssignCodes(lengths, codes);
        Assert.Equal([0b010u, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111], codes);
        Assert.Equal(0b0111u, PrefixCode.Reverse(0b1110, 4));
        Assert.Equal(0b001u, PrefixCode.Reverse(0b100, 3));
        Assert.Equal(0u, PrefixCode.Reverse(0, 0));
        Assert.Equal(0x4000u, PrefixCode.Reverse(1, 15));
    }

    [Fact]
    public void Over_subscribed_lengths_and_impossible_limits_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PrefixCode.AssignCodes([1, 1, 1], new uint[3]));
        Assert.Throws<ArgumentException>(() => PrefixCode.BuildLengths([1, 1, 1, 1, 1], 2, new byte[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PrefixCode.BuildLengths([1, -1], 15, new byte[2]));
    }

    /// <summary>Σ 2^-length over the used symbols is exactly 1: every bit string starts a code word.</summary>
    internal static void AssertComplete(ReadOnlySpan<byte> lengths, int limit)
    {
        long kraft = 0;
        foreach (var length in lengths)
        {
            if (length > 0)
            {
                kraft += 1L << (limit - length);
            }
        }
        Assert.Equal(1L << limit, kraft);
    }

    private static long Cost(long[] frequencies, IReadOnlyList<byte> lengths) =>
        frequencies.Select((f, s) => f * lengths[s]).Sum();

    /// <summary>Plain Huffman (no limit) with a priority queue: the textbook construction, as the reference.</summary>
    private static byte[] ReferenceHuffmanLengths(long[] frequencies)
    {
        var queue = new PriorityQueue<(List<int> Symbols, long Weight), long>();
        for (var s = 0; s < frequencies.Length; s++)
        {
            if (frequencies[s] > 0)
            {
                queue.Enqueue(([s], frequencies[s]), frequencies[s]);
            }
        }
        var lengths = new byte[frequencies.Length];
        while (queue.Count > 1)
        {
            var a = queue.Dequeue();
            var b = queue.Dequeue();
            foreach (var s in a.Symbols.Concat(b.Symbols))
            {
                lengths[s]++;
            }
            queue.Enqueue(([.. a.Symbols, .. b.Symbols], a.Weight + b.Weight), a.Weight + b.Weight);
        }
        return lengths;
    }

    /// <summary>
    /// A length-limited code by a different route: Huffman, then zlib-style overflow repair (moving leaves up
    /// from the deepest level), then the lengths handed out heaviest-first: not always optimal, so an upper bound.
    /// </summary>
    private static byte[] HeuristicLimited(long[] frequencies, int limit)
    {
        var huffman = ReferenceHuffmanLengths(frequencies);
        var count = new int[Math.Max(limit, huffman.Max()) + 1];
        foreach (var l in huffman.Where(l => l > 0))
        {
            count[Math.Min(l, limit)]++;
        }
        // Kraft repair: while over-subscribed, lengthen a code shorter than the limit.
        long Kraft() => Enumerable.Range(1, limit).Sum(l => (long)count[l] << (limit - l));
        while (Kraft() > 1L << limit)
        {
            var l = limit - 1;
            while (count[l] == 0)
            {
                l--;
            }
            count[l]--;
            count[l + 1]++;
        }
        var order = Enumerable.Range(0, frequencies.Length).Where(s => frequencies[s] > 0).OrderByDescending(s => frequencies[s]).ToList();
        var lengths = new byte[frequencies.Length];
        var i = 0;
        for (var l = 1; l <= limit; l++)
        {
            for (var n = 0; n < count[l]; n++)
            {
                lengths[order[i++]] = (byte)l;
            }
        }
        return lengths;
    }
}
