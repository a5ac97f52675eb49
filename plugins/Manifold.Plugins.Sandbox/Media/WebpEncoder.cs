using System.Buffers.Binary;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// Encodes 8-bit RGB or RGBA pixels as lossless WebP (RFC 9649: a RIFF <c>WEBP</c> file with one <c>VP8L</c>
/// chunk). The bitstream is deliberately simple: at most the subtract-green transform (used when it makes the red
/// and blue codes smaller), no colour cache, one prefix code group for the whole image, and every pixel a literal
/// (no LZ77 backward references). The five prefix codes are optimal length-limited (15-bit) Huffman codes for the
/// image's own symbol counts; a code with one or two symbols is sent as a "simple" code, so a constant channel —
/// alpha in an opaque image — costs no bits at all.
/// </summary>
internal static class WebpEncoder
{
    public const string MediaType = "image/webp";

    /// <summary>VP8L stores width − 1 and height − 1 in 14 bits each.</summary>
    public const int MaxDimension = 16384;

    private const byte Signature = 0x2F;
    private const int LiteralCount = 256;
    private const int GreenAlphabetSize = LiteralCount + 24; // literals, then the 24 backward-reference length prefixes
    private const int DistanceAlphabetSize = 40;
    private const int MaxCodeLength = 15;
    private const int CodeLengthCodeCount = 19;
    private const int MaxCodeLengthCodeLength = 7; // code length code lengths are sent in 3 bits
    private const int SubtractGreenTransform = 2;

    /// <summary>The order in which the code length code's lengths are sent.</summary>
    private static ReadOnlySpan<byte> CodeLengthCodeOrder => [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    /// <param name="pixels">Rows top to bottom, pixels left to right, samples R, G, B (and A).</param>
    /// <param name="channels">3 for RGB (opaque), 4 for RGBA (straight, not premultiplied, alpha).</param>
    /// <param name="stride">Bytes from one row to the next; 0 means tightly packed.</param>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels = 3, int stride = 0) =>
        Encode(pixels, width, height, channels, stride, subtractGreen: null);

    /// <param name="subtractGreen">Whether to use the subtract-green transform; <see langword="null"/> decides by size.</param>
    internal static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, int stride, bool? subtractGreen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxDimension);
        if (channels is not (3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Pixels have 3 (RGB) or 4 (RGBA) channels.");
        }
        var rowBytes = width * channels;
        if (stride == 0)
        {
            stride = rowBytes;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, rowBytes);
        if ((long)stride * (height - 1) + rowBytes > pixels.Length)
        {
            throw new ArgumentException($"{width}x{height} pixels need {(long)stride * (height - 1) + rowBytes} bytes; got {pixels.Length}.", nameof(pixels));
        }

        // Count every symbol, with and without subtract-green (which sends red − green and blue − green).
        var green = new long[GreenAlphabetSize];
        var red = new long[LiteralCount];
        var blue = new long[LiteralCount];
        var redMinusGreen = new long[LiteralCount];
        var blueMinusGreen = new long[LiteralCount];
        var alpha = new long[LiteralCount];
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, rowBytes);
            for (var i = 0; i < row.Length; i += channels)
            {
                int r = row[i], g = row[i + 1], b = row[i + 2];
                green[g]++;
                red[r]++;
                blue[b]++;
                redMinusGreen[(r - g) & 0xFF]++;
                blueMinusGreen[(b - g) & 0xFF]++;
                alpha[channels == 4 ? row[i + 3] : 0xFF]++;
            }
        }

        var greenCode = Code.For(green);
        var alphaCode = Code.For(alpha);
        var distanceCode = Code.For(new long[DistanceAlphabetSize]);
        var redCode = Code.For(red);
        var blueCode = Code.For(blue);
        var redMinusGreenCode = Code.For(redMinusGreen);
        var blueMinusGreenCode = Code.For(blueMinusGreen);
        var subtract = subtractGreen ?? redMinusGreenCode.Cost + blueMinusGreenCode.Cost < redCode.Cost + blueCode.Cost;
        if (subtract)
        {
            redCode = redMinusGreenCode;
            blueCode = blueMinusGreenCode;
        }
        var alphaIsUsed = alpha[0xFF] != (long)width * height;

        var dataBits = greenCode.Cost + redCode.Cost + blueCode.Cost + alphaCode.Cost;
        var writer = new LsbBitWriter((int)Math.Min(dataBits / 8 + 4096, Array.MaxLength));
        writer.WriteBits(Signature, 8);
        writer.WriteBits((uint)width - 1, 14);
        writer.WriteBits((uint)height - 1, 14);
        writer.WriteBits(alphaIsUsed ? 1u : 0u, 1);
        writer.WriteBits(0, 3); // version
        if (subtract)
        {
            writer.WriteBits(1, 1); // a transform follows
            writer.WriteBits(SubtractGreenTransform, 2);
        }
        writer.WriteBits(0, 1); // no (further) transform
        writer.WriteBits(0, 1); // no colour cache
        writer.WriteBits(0, 1); // no meta prefix codes: one prefix code group for the whole image
        greenCode.WriteTo(writer);
        redCode.WriteTo(writer);
        blueCode.WriteTo(writer);
        alphaCode.WriteTo(writer);
        distanceCode.WriteTo(writer);

        // The pixels, each a literal: green, red, blue, alpha (two codes of at most 15 bits to a write).
        var greenBits = greenCode.Bits;
        var greenLengths = greenCode.Lengths;
        var redBits = redCode.Bits;
        var redLengths = redCode.Lengths;
        var blueBits = blueCode.Bits;
        var blueLengths = blueCode.Lengths;
        var alphaBits = alphaCode.Bits;
        var alphaLengths = alphaCode.Lengths;
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, rowBytes);
            for (var i = 0; i < row.Length; i += channels)
            {
                int r = row[i], g = row[i + 1], b = row[i + 2];
                var a = channels == 4 ? row[i + 3] : 0xFF;
                if (subtract)
                {
                    r = (r - g) & 0xFF;
                    b = (b - g) & 0xFF;
                }
                writer.WriteBits(greenBits[g] | redBits[r] << greenLengths[g], greenLengths[g] + redLengths[r]);
                writer.WriteBits(blueBits[b] | alphaBits[a] << blueLengths[b], blueLengths[b] + alphaLengths[a]);
            }
        }
        var vp8l = writer.Finish();

        // RIFF: "RIFF", the size of what follows, "WEBP", then the one chunk (padded to an even size).
        var padding = vp8l.Length & 1;
        var file = new byte[20 + vp8l.Length + padding];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        "WEBP"u8.CopyTo(file.AsSpan(8));
        "VP8L"u8.CopyTo(file.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), (uint)vp8l.Length);
        vp8l.CopyTo(file.AsSpan(20));
        return file;
    }

    /// <summary>
    /// One prefix code: its lengths, its bit-reversed codes ready for <see cref="LsbBitWriter"/>, and how it is sent.
    /// </summary>
    private sealed class Code
    {
        private readonly int[] _simpleSymbols;

        private Code(byte[] lengths, uint[] bits, int[] simpleSymbols, long cost)
        {
            Lengths = lengths;
            Bits = bits;
            _simpleSymbols = simpleSymbols;
            Cost = cost;
        }

        public byte[] Lengths { get; }

        public uint[] Bits { get; }

        /// <summary>The bits the counted symbols take with this code (its own description not included).</summary>
        public long Cost { get; }

        public static Code For(long[] histogram)
        {
            var lengths = new byte[histogram.Length];
            var bits = new uint[histogram.Length];
            var used = new List<int>(2);
            for (var s = 0; s < histogram.Length && used.Count <= 2; s++)
            {
                if (histogram[s] > 0)
                {
                    used.Add(s);
                }
            }
            if (used.Count <= 2 && (used.Count == 0 || used[^1] < LiteralCount))
            {
                // A simple code: one symbol read with no bits (an unused alphabet is sent as the lone symbol 0),
                // or two symbols with one bit each, the smaller symbol being 0 as the canonical code has it.
                if (used.Count == 0)
                {
                    used.Add(0);
                }
                if (used.Count == 2)
                {
                    lengths[used[0]] = lengths[used[1]] = 1;
                    bits[used[1]] = 1;
                }
                return new Code(lengths, bits, [.. used], used.Count == 2 ? histogram[used[0]] + histogram[used[1]] : 0);
            }

            PrefixCode.BuildLengths(histogram, MaxCodeLength, lengths);
            PrefixCode.AssignCodes(lengths, bits);
            long cost = 0;
            for (var s = 0; s < bits.Length; s++)
            {
                bits[s] = PrefixCode.Reverse(bits[s], lengths[s]);
                cost += histogram[s] * lengths[s];
            }
            return new Code(lengths, bits, [], cost);
        }

        public void WriteTo(LsbBitWriter writer)
        {
            if (_simpleSymbols.Length > 0)
            {
                writer.WriteBits(1, 1); // simple code
                writer.WriteBits((uint)_simpleSymbols.Length - 1, 1);
                var first = (uint)_simpleSymbols[0];
                var firstIs8Bits = first > 1;
                writer.WriteBits(firstIs8Bits ? 1u : 0u, 1);
                writer.WriteBits(first, firstIs8Bits ? 8 : 1);
                if (_simpleSymbols.Length == 2)
                {
                    writer.WriteBits((uint)_simpleSymbols[1], 8);
                }
                return;
            }
            writer.WriteBits(0, 1); // normal code
            WriteCodeLengths(writer, Lengths);
        }
    }

    /// <summary>
    /// Sends <paramref name="lengths"/> as a normal code length code: run-length tokens (0–15 a length, 16 the
    /// previous length again 3–6 times, 17 and 18 runs of 3–10 and 11–138 zeros), themselves Huffman coded with a
    /// code of at most 7 bits whose lengths go first, 3 bits each, in <see cref="CodeLengthCodeOrder"/>.
    /// </summary>
    private static void WriteCodeLengths(LsbBitWriter writer, ReadOnlySpan<byte> lengths)
    {
        var tokens = new List<(byte Symbol, byte ExtraBits, byte Extra)>(lengths.Length);
        for (var i = 0; i < lengths.Length;)
        {
            var value = lengths[i];
            var run = 1;
            while (i + run < lengths.Length && lengths[i + run] == value)
            {
                run++;
            }
            i += run;
            if (value == 0)
            {
                while (run >= 11)
                {
                    var n = Math.Min(run, 138);
                    tokens.Add((18, 7, (byte)(n - 11)));
                    run -= n;
                }
                if (run >= 3)
                {
                    tokens.Add((17, 3, (byte)(run - 3)));
                    run = 0;
                }
            }
            else
            {
                // Code 16 repeats the last non-zero length sent as a literal: this one.
                tokens.Add((value, 0, 0));
                run--;
                while (run >= 3)
                {
                    var n = Math.Min(run, 6);
                    tokens.Add((16, 2, (byte)(n - 3)));
                    run -= n;
                }
            }
            for (; run > 0; run--)
            {
                tokens.Add((value, 0, 0));
            }
        }

        Span<long> counts = stackalloc long[CodeLengthCodeCount];
        foreach (var token in tokens)
        {
            counts[token.Symbol]++;
        }
        Span<byte> codeLengths = stackalloc byte[CodeLengthCodeCount];
        Span<uint> codes = stackalloc uint[CodeLengthCodeCount];
        PrefixCode.BuildLengths(counts, MaxCodeLengthCodeLength, codeLengths);
        PrefixCode.AssignCodes(codeLengths, codes);
        // A code with a single symbol is read with no bits at all (its length, 1, only says the symbol is used).
        var single = counts.Length - counts.Count(0L) == 1;

        var sent = CodeLengthCodeCount;
        while (sent > 4 && codeLengths[CodeLengthCodeOrder[sent - 1]] == 0)
        {
            sent--;
        }
        writer.WriteBits((uint)sent - 4, 4);
        for (var i = 0; i < sent; i++)
        {
            writer.WriteBits(codeLengths[CodeLengthCodeOrder[i]], 3);
        }
        writer.WriteBits(0, 1); // no max_symbol: the tokens cover the whole alphabet
        foreach (var (symbol, extraBits, extra) in tokens)
        {
            if (!single)
            {
                writer.WriteBits(PrefixCode.Reverse(codes[symbol], codeLengths[symbol]), codeLengths[symbol]);
            }
            writer.WriteBits(extra, extraBits);
        }
    }
}
