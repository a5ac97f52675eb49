using System.Buffers.Binary;
using System.Numerics;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>How <see cref="JpegEncoder"/> samples the two chroma components against luma.</summary>
internal enum JpegSubsampling
{
    /// <summary>Chroma at half resolution both ways (16×16 MCUs): the common choice, and OpenAI's.</summary>
    Yuv420,

    /// <summary>Chroma at full resolution (8×8 MCUs).</summary>
    Yuv444,
}

/// <summary>
/// Encodes 8-bit RGB pixels as a baseline sequential JPEG (ITU-T T.81) in a JFIF file: <c>SOI</c>, <c>APP0</c>
/// (JFIF 1.01), <c>DQT</c> (the Annex K luminance and chrominance tables scaled for a quality of 1–100 as the IJG
/// library scales them), <c>SOF0</c>, <c>DHT</c> (the Annex K Huffman tables), one interleaved <c>SOS</c> scan and
/// <c>EOI</c>. Colours go to YCbCr as JFIF defines it (BT.601, full range); the DCT is a separable float DCT.
/// Edges are padded by repeating the last column and row, so any size from 1×1 works.
/// </summary>
internal static class JpegEncoder
{
    public const string MediaType = "image/jpeg";
    public const int MaxDimension = 65535;
    public const int DefaultQuality = 90;

    /// <summary>Annex K.1: the luminance quantization table, in natural (row-major) order.</summary>
    internal static ReadOnlySpan<byte> LuminanceQuantization =>
    [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ];

    /// <summary>Annex K.2: the chrominance quantization table, in natural order.</summary>
    internal static ReadOnlySpan<byte> ChrominanceQuantization =>
    [
        17, 18, 24, 47, 99, 99, 99, 99,
        18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
    ];

    /// <summary>Annex K.3: BITS (codes of each length 1–16) then HUFFVAL, for luminance DC differences.</summary>
    internal static ReadOnlySpan<byte> LuminanceDc =>
    [
        0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ];

    /// <summary>Annex K.3: chrominance DC differences.</summary>
    internal static ReadOnlySpan<byte> ChrominanceDc =>
    [
        0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ];

    /// <summary>Annex K.3: luminance AC coefficients (run/size).</summary>
    internal static ReadOnlySpan<byte> LuminanceAc =>
    [
        0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D,
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
        0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5,
        0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2,
        0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
        0xF9, 0xFA,
    ];

    /// <summary>Annex K.3: chrominance AC coefficients (run/size).</summary>
    internal static ReadOnlySpan<byte> ChrominanceAc =>
    [
        0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77,
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0,
        0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26,
        0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5,
        0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3,
        0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA,
        0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
        0xF9, 0xFA,
    ];

    /// <summary>Zig-zag position → natural (row-major) index within an 8×8 block.</summary>
    internal static readonly byte[] ZigZag = BuildZigZag();

    private static readonly HuffmanTable LuminanceDcTable = new(LuminanceDc);
    private static readonly HuffmanTable LuminanceAcTable = new(LuminanceAc);
    private static readonly HuffmanTable ChrominanceDcTable = new(ChrominanceDc);
    private static readonly HuffmanTable ChrominanceAcTable = new(ChrominanceAc);

    /// <summary>The DCT basis, <c>[u * 8 + x] = c(u) · cos((2x + 1)uπ / 16)</c> with c(0) = √(1/8), c(u) = √(2/8).</summary>
    private static readonly float[] DctBasis = BuildDctBasis();

    /// <param name="rgb">Rows top to bottom, pixels left to right, samples R, G, B.</param>
    /// <param name="quality">1 (smallest) to 100 (every quantizer 1), as the IJG library means it.</param>
    /// <param name="stride">Bytes from one row to the next; 0 means tightly packed.</param>
    public static byte[] Encode(
        ReadOnlySpan<byte> rgb, int width, int height, int quality = DefaultQuality,
        JpegSubsampling subsampling = JpegSubsampling.Yuv420, int stride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        if (subsampling is not (JpegSubsampling.Yuv420 or JpegSubsampling.Yuv444))
        {
            throw new ArgumentOutOfRangeException(nameof(subsampling));
        }
        var rowBytes = width * 3;
        if (stride == 0)
        {
            stride = rowBytes;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, rowBytes);
        if ((long)stride * (height - 1) + rowBytes > rgb.Length)
        {
            throw new ArgumentException($"{width}x{height} pixels need {(long)stride * (height - 1) + rowBytes} bytes; got {rgb.Length}.", nameof(rgb));
        }

        // Level-shifted (−128) Y, Cb and Cr planes, padded to whole MCUs by repeating the last column and row.
        var factor = subsampling == JpegSubsampling.Yuv420 ? 2 : 1;
        var mcuSize = 8 * factor;
        var mcusAcross = (width + mcuSize - 1) / mcuSize;
        var mcusDown = (height + mcuSize - 1) / mcuSize;
        var planeWidth = mcusAcross * mcuSize;
        var planeHeight = mcusDown * mcuSize;
        var luma = new float[planeWidth * planeHeight];
        var cb = new float[planeWidth * planeHeight];
        var cr = new float[planeWidth * planeHeight];
        for (var y = 0; y < planeHeight; y++)
        {
            var row = rgb.Slice(Math.Min(y, height - 1) * stride, rowBytes);
            var o = y * planeWidth;
            for (var x = 0; x < planeWidth; x++, o++)
            {
                var i = Math.Min(x, width - 1) * 3;
                float r = row[i], g = row[i + 1], b = row[i + 2];
                luma[o] = 0.299f * r + 0.587f * g + 0.114f * b - 128f;
                cb[o] = -0.168736f * r - 0.331264f * g + 0.5f * b;
                cr[o] = 0.5f * r - 0.418688f * g - 0.081312f * b;
            }
        }
        var chromaWidth = planeWidth / factor;
        if (factor == 2)
        {
            // Each chroma sample is the mean of the 2×2 it covers (JFIF sites it at their centre).
            cb = Halve(cb, planeWidth, planeHeight);
            cr = Halve(cr, planeWidth, planeHeight);
        }

        var lumaTable = ScaleQuantization(LuminanceQuantization, quality);
        var chromaTable = ScaleQuantization(ChrominanceQuantization, quality);

        using var output = new MemoryStream(planeWidth * planeHeight / 4 + 1024);
        WriteHeaders(output, width, height, factor, lumaTable, chromaTable);

        var lumaScale = Reciprocals(lumaTable);
        var chromaScale = Reciprocals(chromaTable);
        var writer = new EntropyWriter(output);
        Span<float> work = stackalloc float[64];
        Span<int> block = stackalloc int[64];
        int lumaDc = 0, cbDc = 0, crDc = 0;
        for (var my = 0; my < mcusDown; my++)
        {
            for (var mx = 0; mx < mcusAcross; mx++)
            {
                for (var by = 0; by < factor; by++)
                {
                    for (var bx = 0; bx < factor; bx++)
                    {
                        var origin = (my * mcuSize + by * 8) * planeWidth + mx * mcuSize + bx * 8;
                        Transform(luma.AsSpan(origin), planeWidth, lumaScale, work, block);
                        writer.WriteBlock(block, ref lumaDc, LuminanceDcTable, LuminanceAcTable);
                    }
                }
                var chromaOrigin = my * 8 * chromaWidth + mx * 8;
                Transform(cb.AsSpan(chromaOrigin), chromaWidth, chromaScale, work, block);
                writer.WriteBlock(block, ref cbDc, ChrominanceDcTable, ChrominanceAcTable);
                Transform(cr.AsSpan(chromaOrigin), chromaWidth, chromaScale, work, block);
                writer.WriteBlock(block, ref crDc, ChrominanceDcTable, ChrominanceAcTable);
            }
        }
        writer.Finish();
        output.Write([0xFF, 0xD9]); // EOI
        return output.ToArray();
    }

    /// <summary>
    /// A basis table (natural order) scaled for <paramref name="quality"/> as the IJG library does: ×5000/q below
    /// 50, ×(200 − 2q) from 50, in percent, rounded, clamped to 1–255 (so 50 is the table itself, 100 all ones).
    /// </summary>
    internal static byte[] ScaleQuantization(ReadOnlySpan<byte> basis, int quality)
    {
        var scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        var table = new byte[64];
        for (var i = 0; i < 64; i++)
        {
            table[i] = (byte)Math.Clamp((basis[i] * scale + 50) / 100, 1, 255);
        }
        return table;
    }

    private static float[] Reciprocals(byte[] table)
    {
        var reciprocals = new float[64];
        for (var i = 0; i < 64; i++)
        {
            reciprocals[i] = 1f / table[i];
        }
        return reciprocals;
    }

    private static float[] Halve(float[] plane, int width, int height)
    {
        var half = new float[width / 2 * (height / 2)];
        for (var y = 0; y < height / 2; y++)
        {
            var top = 2 * y * width;
            var bottom = top + width;
            var o = y * (width / 2);
            for (var x = 0; x < width / 2; x++)
            {
                half[o + x] = 0.25f * (plane[top + 2 * x] + plane[top + 2 * x + 1] + plane[bottom + 2 * x] + plane[bottom + 2 * x + 1]);
            }
        }
        return half;
    }

    /// <summary>Forward DCT of the 8×8 block at the start of <paramref name="plane"/>, quantized, in zig-zag order.</summary>
    private static void Transform(ReadOnlySpan<float> plane, int stride, float[] scale, Span<float> work, Span<int> zigZag)
    {
        var basis = DctBasis;
        // Rows: work[y * 8 + u] = Σx basis[u, x] · f(x, y).
        for (var y = 0; y < 8; y++)
        {
            var row = plane.Slice(y * stride, 8);
            for (var u = 0; u < 8; u++)
            {
                var b = u * 8;
                work[y * 8 + u] = basis[b] * row[0] + basis[b + 1] * row[1] + basis[b + 2] * row[2] + basis[b + 3] * row[3]
                    + basis[b + 4] * row[4] + basis[b + 5] * row[5] + basis[b + 6] * row[6] + basis[b + 7] * row[7];
            }
        }
        // Columns: F(u, v) = Σy basis[v, y] · work[y, u]; then quantize.
        Span<int> natural = stackalloc int[64];
        for (var u = 0; u < 8; u++)
        {
            for (var v = 0; v < 8; v++)
            {
                var b = v * 8;
                var sum = basis[b] * work[u] + basis[b + 1] * work[8 + u] + basis[b + 2] * work[16 + u] + basis[b + 3] * work[24 + u]
                    + basis[b + 4] * work[32 + u] + basis[b + 5] * work[40 + u] + basis[b + 6] * work[48 + u] + basis[b + 7] * work[56 + u];
                var index = v * 8 + u;
                // Baseline limits: DC differences to 11 bits, AC coefficients to 10.
                natural[index] = Math.Clamp((int)MathF.Round(sum * scale[index]), -1023, 1023);
            }
        }
        for (var k = 0; k < 64; k++)
        {
            zigZag[k] = natural[ZigZag[k]];
        }
    }

    private static void WriteHeaders(Stream output, int width, int height, int factor, byte[] lumaTable, byte[] chromaTable)
    {
        output.Write([0xFF, 0xD8]); // SOI
        // APP0: JFIF 1.01, no units, 1:1 pixel aspect, no thumbnail.
        output.Write([0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);

        // DQT: both tables, 8-bit precision, in zig-zag order.
        output.Write([0xFF, 0xDB, 0, 2 + 2 * 65]);
        foreach (var (id, table) in new[] { (0, lumaTable), (1, chromaTable) })
        {
            output.WriteByte((byte)id);
            for (var k = 0; k < 64; k++)
            {
                output.WriteByte(table[ZigZag[k]]);
            }
        }

        // SOF0: baseline, 8-bit, three components: Y (table 0) at factor×factor, Cb and Cr (table 1) at 1×1.
        Span<byte> frame = [0xFF, 0xC0, 0, 17, 8, 0, 0, 0, 0, 3, 1, (byte)(factor << 4 | factor), 0, 2, 0x11, 1, 3, 0x11, 1];
        BinaryPrimitives.WriteUInt16BigEndian(frame[5..], (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(frame[7..], (ushort)width);
        output.Write(frame);

        // DHT: the four Annex K tables.
        var dht = LuminanceDc.Length + LuminanceAc.Length + ChrominanceDc.Length + ChrominanceAc.Length + 4;
        output.Write([0xFF, 0xC4, (byte)((dht + 2) >> 8), (byte)(dht + 2)]);
        output.WriteByte(0x00);
        output.Write(LuminanceDc);
        output.WriteByte(0x10);
        output.Write(LuminanceAc);
        output.WriteByte(0x01);
        output.Write(ChrominanceDc);
        output.WriteByte(0x11);
        output.Write(ChrominanceAc);

        // SOS: the three components interleaved; Y with tables 0/0, Cb and Cr with 1/1; Ss 0, Se 63, Ah/Al 0.
        output.Write([0xFF, 0xDA, 0, 12, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
    }

    private static byte[] BuildZigZag()
    {
        var order = new byte[64];
        var k = 0;
        for (var diagonal = 0; diagonal < 15; diagonal++)
        {
            // Odd diagonals run down-left (row rising), even ones up-right (row falling).
            var low = Math.Max(0, diagonal - 7);
            var high = Math.Min(diagonal, 7);
            for (var step = 0; step <= high - low; step++)
            {
                var row = diagonal % 2 == 1 ? low + step : high - step;
                order[k++] = (byte)(row * 8 + diagonal - row);
            }
        }
        return order;
    }

    private static float[] BuildDctBasis()
    {
        var basis = new float[64];
        for (var u = 0; u < 8; u++)
        {
            var c = u == 0 ? Math.Sqrt(1.0 / 8) : Math.Sqrt(2.0 / 8);
            for (var x = 0; x < 8; x++)
            {
                basis[u * 8 + x] = (float)(c * Math.Cos((2 * x + 1) * u * Math.PI / 16));
            }
        }
        return basis;
    }

    /// <summary>A Huffman table's codes by symbol, generated from BITS and HUFFVAL as Annex C does.</summary>
    internal sealed class HuffmanTable
    {
        public HuffmanTable(ReadOnlySpan<byte> bitsAndValues)
        {
            var code = 0u;
            var v = 16;
            for (var length = 1; length <= 16; length++)
            {
                for (var n = 0; n < bitsAndValues[length - 1]; n++)
                {
                    var symbol = bitsAndValues[v++];
                    Codes[symbol] = code++;
                    Lengths[symbol] = (byte)length;
                }
                code <<= 1;
            }
            if (v != bitsAndValues.Length)
            {
                throw new ArgumentException($"BITS count {v - 16} values; {bitsAndValues.Length - 16} follow.", nameof(bitsAndValues));
            }
        }

        public uint[] Codes { get; } = new uint[256];

        /// <summary>Each symbol's code length; 0 for a symbol the table cannot code.</summary>
        public byte[] Lengths { get; } = new byte[256];
    }

    /// <summary>The entropy-coded segment: bits most significant first, a 0x00 stuffed after every 0xFF byte.</summary>
    private sealed class EntropyWriter(Stream output)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _count;
        private ulong _pending;
        private int _pendingBits;

        public void WriteBlock(ReadOnlySpan<int> block, ref int previousDc, HuffmanTable dc, HuffmanTable ac)
        {
            var difference = block[0] - previousDc;
            previousDc = block[0];
            var size = Magnitude(difference);
            Write(dc, size);
            WriteAmplitude(difference, size);

            var run = 0;
            for (var k = 1; k < 64; k++)
            {
                var coefficient = block[k];
                if (coefficient == 0)
                {
                    run++;
                    continue;
                }
                for (; run >= 16; run -= 16)
                {
                    Write(ac, 0xF0); // ZRL: sixteen zeros
                }
                size = Magnitude(coefficient);
                Write(ac, run << 4 | size);
                WriteAmplitude(coefficient, size);
                run = 0;
            }
            if (run > 0)
            {
                Write(ac, 0x00); // EOB
            }
        }

        /// <summary>Pads the last byte with one bits and flushes.</summary>
        public void Finish()
        {
            if (_pendingBits % 8 != 0)
            {
                var padding = 8 - _pendingBits % 8;
                WriteBits((1u << padding) - 1, padding);
            }
            output.Write(_buffer, 0, _count);
            _count = 0;
        }

        /// <summary>SSSS: the bits needed for |value|.</summary>
        private static int Magnitude(int value) => 32 - BitOperations.LeadingZeroCount((uint)Math.Abs(value));

        private void Write(HuffmanTable table, int symbol)
        {
            var length = table.Lengths[symbol];
            if (length == 0)
            {
                throw new InvalidOperationException($"Symbol 0x{symbol:X2} has no Huffman code.");
            }
            WriteBits(table.Codes[symbol], length);
        }

        /// <summary>The amplitude's low bits; a negative value as value − 1 (its ones' complement).</summary>
        private void WriteAmplitude(int value, int size)
        {
            if (size > 0)
            {
                WriteBits((uint)(value < 0 ? value - 1 : value) & ((1u << size) - 1), size);
            }
        }

        private void WriteBits(uint bits, int count)
        {
            _pending = _pending << count | bits;
            _pendingBits += count;
            while (_pendingBits >= 8)
            {
                _pendingBits -= 8;
                var b = (byte)(_pending >> _pendingBits);
                if (_count > _buffer.Length - 2)
                {
                    output.Write(_buffer, 0, _count);
                    _count = 0;
                }
                _buffer[_count++] = b;
                if (b == 0xFF)
                {
                    _buffer[_count++] = 0x00;
                }
            }
        }
    }
}
