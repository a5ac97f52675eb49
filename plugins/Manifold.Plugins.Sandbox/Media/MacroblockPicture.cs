namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// A 4:2:0 8-bit picture stored macroblock by macroblock in H.264 <c>I_PCM</c> sample order: for each macroblock
/// (raster order) 256 luma samples (16×16, raster), then 64 Cb and 64 Cr (8×8 each). Samples are BT.601
/// limited range (Y 16–235, Cb/Cr 16–240), converted from 8-bit RGB.
/// </summary>
internal sealed class MacroblockPicture
{
    public const int MacroblockBytes = 384;

    public MacroblockPicture(int widthInMbs, int heightInMbs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(widthInMbs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heightInMbs, 1);
        WidthInMbs = widthInMbs;
        HeightInMbs = heightInMbs;
        Samples = new byte[checked(widthInMbs * heightInMbs * MacroblockBytes)];
    }

    public int WidthInMbs { get; }

    public int HeightInMbs { get; }

    public int MacroblockCount => WidthInMbs * HeightInMbs;

    public byte[] Samples { get; }

    public Span<byte> Macroblock(int address) => Samples.AsSpan(address * MacroblockBytes, MacroblockBytes);

    /// <summary>
    /// Converts the 16×16 RGB block at macroblock (<paramref name="mbX"/>, <paramref name="mbY"/>) of
    /// <paramref name="rgb"/> into <paramref name="destination"/> (384 bytes, <c>I_PCM</c> order).
    /// Chroma is the 2×2 average, sited between the luma samples.
    /// </summary>
    public static void ConvertMacroblock(ReadOnlySpan<byte> rgb, int stride, int mbX, int mbY, Span<byte> destination)
    {
        var luma = destination[..256];
        var cb = destination.Slice(256, 64);
        var cr = destination.Slice(320, 64);
        var origin = mbY * 16 * stride + mbX * 16 * 3;
        for (var y = 0; y < 16; y++)
        {
            var row = rgb.Slice(origin + y * stride, 48);
            for (var x = 0; x < 16; x++)
            {
                luma[y * 16 + x] = Luma(row[3 * x], row[3 * x + 1], row[3 * x + 2]);
            }
        }
        for (var y = 0; y < 8; y++)
        {
            var top = rgb.Slice(origin + 2 * y * stride, 48);
            var bottom = rgb.Slice(origin + (2 * y + 1) * stride, 48);
            for (var x = 0; x < 8; x++)
            {
                var i = 6 * x;
                var r = top[i] + top[i + 3] + bottom[i] + bottom[i + 3];
                var g = top[i + 1] + top[i + 4] + bottom[i + 1] + bottom[i + 4];
                var b = top[i + 2] + top[i + 5] + bottom[i + 2] + bottom[i + 5];
                cb[y * 8 + x] = (byte)((-9714 * r - 19070 * g + 28784 * b + (128 << 18) + (1 << 17)) >> 18);
                cr[y * 8 + x] = (byte)((28784 * r - 24103 * g - 4681 * b + (128 << 18) + (1 << 17)) >> 18);
            }
        }
    }

    /// <summary>BT.601 limited-range luma: <c>16 + (65.481 R + 128.553 G + 24.966 B) / 255</c>, rounded.</summary>
    public static byte Luma(int r, int g, int b) => (byte)((16829 * r + 33039 * g + 6416 * b + (16 << 16) + (1 << 15)) >> 16);

    /// <summary>Writes the top-left <paramref name="width"/>×<paramref name="height"/> of the picture as planar I420 (Y, then Cb, then Cr).</summary>
    public void CopyToI420(int width, int height, Span<byte> destination)
    {
        var chromaWidth = (width + 1) / 2;
        var chromaHeight = (height + 1) / 2;
        var yPlane = destination[..(width * height)];
        var cbPlane = destination.Slice(width * height, chromaWidth * chromaHeight);
        var crPlane = destination.Slice(width * height + chromaWidth * chromaHeight, chromaWidth * chromaHeight);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                yPlane[y * width + x] = Samples[((y >> 4) * WidthInMbs + (x >> 4)) * MacroblockBytes + (y & 15) * 16 + (x & 15)];
            }
        }
        for (var y = 0; y < chromaHeight; y++)
        {
            for (var x = 0; x < chromaWidth; x++)
            {
                var mb = ((y >> 3) * WidthInMbs + (x >> 3)) * MacroblockBytes + (y & 7) * 8 + (x & 7);
                cbPlane[y * chromaWidth + x] = Samples[mb + 256];
                crPlane[y * chromaWidth + x] = Samples[mb + 320];
            }
        }
    }
}
