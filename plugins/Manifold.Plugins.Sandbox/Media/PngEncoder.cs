using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>The PNG colour types <see cref="PngEncoder"/> writes, each at 8 bits a sample.</summary>
internal enum PngColorType
{
    Rgb = 2,
    Rgba = 6,
}

/// <summary>
/// Encodes 8-bit RGB or RGBA pixels as PNG (ISO/IEC 15948): signature, <c>IHDR</c>, <c>sRGB</c>, <c>IDAT</c>
/// (zlib through <see cref="ZLibStream"/>, each row filtered with whichever of the five filter types leaves the
/// smallest sum of absolute differences) and <c>IEND</c>, every chunk with its CRC-32.
/// </summary>
internal static class PngEncoder
{
    public const string MediaType = "image/png";
    public const int MaxDimension = 16384;

    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>IDAT chunks are cut at this size, so no chunk is larger than a reader may like to buffer.</summary>
    private const int MaxIdatChunk = 1 << 18;

    public static byte[] Encode(
        ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType = PngColorType.Rgb, int stride = 0,
        CompressionLevel compression = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        Encode(output, pixels, width, height, colorType, stride, compression);
        return output.ToArray();
    }

    /// <param name="pixels">Rows top to bottom, pixels left to right, samples R, G, B (and A).</param>
    /// <param name="stride">Bytes from one row to the next; 0 means tightly packed.</param>
    public static void Encode(
        Stream destination, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType = PngColorType.Rgb,
        int stride = 0, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxDimension);
        var bytesPerPixel = colorType switch
        {
            PngColorType.Rgb => 3,
            PngColorType.Rgba => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(colorType)),
        };
        var rowBytes = width * bytesPerPixel;
        if (stride == 0)
        {
            stride = rowBytes;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, rowBytes);
        if ((long)stride * (height - 1) + rowBytes > pixels.Length)
        {
            throw new ArgumentException($"{width}x{height} pixels need {(long)stride * (height - 1) + rowBytes} bytes; got {pixels.Length}.", nameof(pixels));
        }

        destination.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = (byte)colorType;
        header[10] = 0; // compression method: deflate
        header[11] = 0; // filter method: adaptive
        header[12] = 0; // no interlace
        WriteChunk(destination, "IHDR", header);
        WriteChunk(destination, "sRGB", [0]); // perceptual rendering intent: the samples are sRGB

        using (var idat = new IdatStream(destination))
        {
            using var zlib = new ZLibStream(idat, compression, leaveOpen: true);
            var candidates = new byte[5][];
            for (var f = 0; f < candidates.Length; f++)
            {
                candidates[f] = new byte[rowBytes + 1];
                candidates[f][0] = (byte)f;
            }
            var zeros = new byte[rowBytes];
            for (var y = 0; y < height; y++)
            {
                var row = pixels.Slice(y * stride, rowBytes);
                var prior = y == 0 ? zeros : pixels.Slice((y - 1) * stride, rowBytes);
                zlib.Write(FilterRow(row, prior, bytesPerPixel, candidates));
            }
        }

        WriteChunk(destination, "IEND", []);
    }

    /// <summary>Filters one scan line every way tried and returns the best (filter type byte included).</summary>
    private static ReadOnlySpan<byte> FilterRow(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, byte[][] candidates)
    {
        var none = candidates[0].AsSpan(1);
        var sub = candidates[1].AsSpan(1);
        var up = candidates[2].AsSpan(1);
        var average = candidates[3].AsSpan(1);
        var paeth = candidates[4].AsSpan(1);
        row.CopyTo(none);
        long sumNone = 0, sumSub = 0, sumUp = 0, sumAverage = 0, sumPaeth = 0;
        for (var i = 0; i < row.Length; i++)
        {
            int x = row[i];
            var a = i >= bpp ? row[i - bpp] : 0;
            int b = prior[i];
            var c = i >= bpp ? prior[i - bpp] : 0;
            var s = (byte)(x - a);
            var u = (byte)(x - b);
            var m = (byte)(x - ((a + b) >> 1));
            var p = (byte)(x - Paeth(a, b, c));
            sub[i] = s;
            up[i] = u;
            average[i] = m;
            paeth[i] = p;
            sumNone += Magnitude(x);
            sumSub += Magnitude(s);
            sumUp += Magnitude(u);
            sumAverage += Magnitude(m);
            sumPaeth += Magnitude(p);
        }
        var best = 0;
        var bestSum = sumNone;
        if (sumSub < bestSum) { best = 1; bestSum = sumSub; }
        if (sumUp < bestSum) { best = 2; bestSum = sumUp; }
        if (sumAverage < bestSum) { best = 3; bestSum = sumAverage; }
        if (sumPaeth < bestSum) { best = 4; }
        return candidates[best];
    }

    /// <summary>|b| with b read as a signed byte: the usual "minimum sum of absolute differences" measure.</summary>
    private static int Magnitude(int b) => b < 128 ? b : 256 - b;

    internal static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream destination, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(prefix, data.Length);
        Encoding.ASCII.GetBytes(type, prefix[4..]);
        destination.Write(prefix);
        destination.Write(data);
        var crc = Crc32.Append(Crc32.Compute(prefix[4..]), data);
        Span<byte> suffix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(suffix, crc);
        destination.Write(suffix);
    }

    /// <summary>A write-only stream that wraps what is written to it in IDAT chunks of at most <see cref="MaxIdatChunk"/> bytes.</summary>
    private sealed class IdatStream(Stream destination) : Stream
    {
        private readonly byte[] _buffer = new byte[MaxIdatChunk];
        private int _count;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var n = Math.Min(buffer.Length, _buffer.Length - _count);
                buffer[..n].CopyTo(_buffer.AsSpan(_count));
                _count += n;
                buffer = buffer[n..];
                if (_count == _buffer.Length)
                {
                    Flush();
                }
            }
        }

        public override void Flush()
        {
            if (_count > 0)
            {
                WriteChunk(destination, "IDAT", _buffer.AsSpan(0, _count));
                _count = 0;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Flush();
            }
            base.Dispose(disposing);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
