using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Manifold.Plugins.Sandbox.Media;

namespace Manifold.Plugins.Tests.Sandbox.Media;

public sealed class PngTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
        Assert.Equal(Crc32.Compute("123456789"u8), Crc32.Append(Crc32.Compute("1234"u8), "56789"u8));
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(7, 3, false)]
    [InlineData(64, 33, true)]
    [InlineData(300, 200, false)]
    public void Encodes_chunks_with_valid_crcs_that_decode_to_the_pixels(int width, int height, bool alpha)
    {
        var colorType = alpha ? PngColorType.Rgba : PngColorType.Rgb;
        var channels = alpha ? 4 : 3;
        var pixels = new byte[width * height * channels];
        var random = new Random(width * 31 + height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width * channels; x++)
            {
                // Smooth areas (for Sub/Up/Average/Paeth) and noisy ones (for None).
                pixels[y * width * channels + x] = y % 3 == 0 ? (byte)random.Next(256) : (byte)(x * 3 + y * 5);
            }
        }
        var png = PngEncoder.Encode(pixels, width, height, colorType);
        var decoded = TestPng.Decode(png);
        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal((int)colorType, decoded.ColorType);
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Fact]
    public void Honours_a_row_stride()
    {
        const int width = 5, height = 4, stride = 32;
        var buffer = new byte[stride * height];
        var packed = new byte[width * 3 * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width * 3; x++)
            {
                buffer[y * stride + x] = packed[y * width * 3 + x] = (byte)(y * 40 + x);
            }
            buffer.AsSpan(y * stride + width * 3, stride - width * 3).Fill(0xEE);
        }
        Assert.Equal(packed, TestPng.Decode(PngEncoder.Encode(buffer, width, height, PngColorType.Rgb, stride)).Pixels);
    }

    [Fact]
    public void Rejects_too_few_pixels()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[10], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(new byte[10], 0, 2));
    }

    [Theory]
    [InlineData(1024, 1024)]
    [InlineData(1536, 1024)]
    [InlineData(64, 48)]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    public void Sandbox_images_are_pngs_ffmpeg_reads_as_the_size_asked(int width, int height)
    {
        using var folder = new TempFolder();
        var png = SandboxMedia.RenderImagePng("a lighthouse at dusk, oil on canvas", width, height);
        var decoded = TestPng.Decode(png);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));

        var path = folder.File("image.png");
        File.WriteAllBytes(path, png);
        var stream = MediaTools.ProbeOnlyStream(path);
        Assert.Equal("png", stream.GetProperty("codec_name").GetString());
        Assert.Equal(width, stream.GetProperty("width").GetInt32());
        Assert.Equal(height, stream.GetProperty("height").GetInt32());
        Assert.Equal("rgb24", stream.GetProperty("pix_fmt").GetString());
        // FFmpeg's own PNG decoder agrees with ours, pixel for pixel.
        Assert.True(decoded.Pixels.AsSpan().SequenceEqual(MediaTools.DecodeRaw(path, "rgb24")), "ffmpeg decodes other pixels");
    }

    [Fact]
    public void Images_follow_the_prompt()
    {
        var a = SandboxMedia.RenderImagePng("a red fox", 64, 64);
        Assert.Equal(a, SandboxMedia.RenderImagePng("a red fox", 64, 64));
        Assert.NotEqual(a, SandboxMedia.RenderImagePng("a blue whale", 64, 64));
        Assert.Equal(TestPng.Decode(SandboxMedia.RenderImagePng(null, 8, 8)).Pixels, TestPng.Decode(SandboxMedia.RenderImagePng("", 8, 8)).Pixels);
        // Not a flat field: many distinct colours.
        var pixels = TestPng.Decode(a).Pixels;
        var colours = Enumerable.Range(0, pixels.Length / 3).Select(i => (pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2])).Distinct().Count();
        Assert.True(colours > 500, $"only {colours} colours");
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(4097, 10)]
    public void Image_sizes_are_checked(int width, int height) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SandboxMedia.RenderImagePng("x", width, height));
}

/// <summary>
/// A strict little PNG reader for tests: checks the signature, every chunk's CRC (bitwise, independent of the
/// encoder's table), chunk order, and undoes zlib and all five filters.
/// </summary>
internal static class TestPng
{
    public sealed record Image(int Width, int Height, int ColorType, byte[] Pixels, IReadOnlyList<string> Chunks);

    public static Image Decode(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var chunks = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0, colorType = 0;
        var position = 8;
        while (position < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var type = Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            Assert.True(BitwiseCrc(png.AsSpan(position + 4, 4 + length)) == crc, $"bad CRC on {type}");
            chunks.Add(type);
            switch (type)
            {
                case "IHDR":
                    Assert.Empty(chunks.Take(chunks.Count - 1));
                    Assert.Equal(13, length);
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal(8, data[8]);
                    colorType = data[9];
                    Assert.Equal([0, 0, 0], data[10..13].ToArray());
                    break;
                case "IDAT":
                    Assert.True(length > 0);
                    idat.Write(data);
                    break;
            }
            position += 12 + length;
        }
        Assert.Equal(png.Length, position);
        Assert.Equal("IHDR", chunks[0]);
        Assert.Equal("IEND", chunks[^1]);
        var idats = chunks.Select((c, i) => (c, i)).Where(x => x.c == "IDAT").Select(x => x.i).ToList();
        Assert.NotEmpty(idats);
        Assert.Equal(idats.Count, idats[^1] - idats[0] + 1); // consecutive

        var channels = colorType switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"colour type {colorType}") };
        var rowBytes = width * channels;
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var filtered = raw.ToArray();
        Assert.Equal(height * (rowBytes + 1), filtered.Length);

        var pixels = new byte[height * rowBytes];
        for (var y = 0; y < height; y++)
        {
            var filter = filtered[y * (rowBytes + 1)];
            for (var i = 0; i < rowBytes; i++)
            {
                int x = filtered[y * (rowBytes + 1) + 1 + i];
                var a = i >= channels ? pixels[y * rowBytes + i - channels] : 0;
                var b = y > 0 ? pixels[(y - 1) * rowBytes + i] : 0;
                var c = i >= channels && y > 0 ? pixels[(y - 1) * rowBytes + i - channels] : 0;
                pixels[y * rowBytes + i] = (byte)(filter switch
                {
                    0 => x,
                    1 => x + a,
                    2 => x + b,
                    3 => x + (a + b) / 2,
                    4 => x + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                });
            }
        }
        return new Image(width, height, colorType, pixels, chunks);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
