using System.Buffers.Binary;
using System.Text;
using Manifold.Plugins.Sandbox.Media;
using Xunit.Abstractions;

namespace Manifold.Plugins.Tests.Sandbox.Media;

public sealed class WebpTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 1, "artwork")]
    [InlineData(1, 1, "noise")]
    [InlineData(3, 5, "artwork")]
    [InlineData(3, 5, "constant")]
    [InlineData(17, 9, "alpha")]
    [InlineData(17, 9, "noise")]
    [InlineData(17, 9, "flat")]
    [InlineData(256, 144, "artwork")]
    [InlineData(256, 144, "alpha")]
    [InlineData(256, 144, "constant")]
    [InlineData(256, 144, "gray")]
    [InlineData(1280, 720, "artwork")]
    [InlineData(720, 1280, "noise")]
    [InlineData(720, 1280, "alpha")]
    public void Ffmpeg_decodes_exactly_the_pixels_encoded(int width, int height, string pattern)
    {
        var (pixels, channels) = TestImages.Make(pattern, width, height);
        var webp = WebpEncoder.Encode(pixels, width, height, channels);
        AssertRoundTrips(webp, pixels, width, height, channels, pattern);
    }

    [Theory]
    [InlineData("artwork", false)]
    [InlineData("artwork", true)]
    [InlineData("alpha", true)]
    [InlineData("noise", true)]
    [InlineData("gray", false)]
    [InlineData("constant", true)]
    public void Either_way_of_sending_red_and_blue_is_lossless(string pattern, bool subtractGreen)
    {
        const int width = 33, height = 21;
        var (pixels, channels) = TestImages.Make(pattern, width, height);
        var webp = WebpEncoder.Encode(pixels, width, height, channels, 0, subtractGreen);
        Assert.Equal(subtractGreen, Vp8l(webp).TransformPresent);
        AssertRoundTrips(webp, pixels, width, height, channels, $"{pattern}, subtract green {subtractGreen}");
    }

    [Fact]
    public void Subtract_green_is_chosen_when_it_makes_the_file_smaller()
    {
        var (gray, _) = TestImages.Make("gray", 64, 64);
        var chosen = WebpEncoder.Encode(gray, 64, 64);
        Assert.True(Vp8l(chosen).TransformPresent); // red − green and blue − green are all 0: no bits at all
        Assert.True(chosen.Length < WebpEncoder.Encode(gray, 64, 64, 3, 0, subtractGreen: false).Length);

        var (noise, _) = TestImages.Make("noise", 64, 64);
        var either = new[] { false, true }.Select(s => WebpEncoder.Encode(noise, 64, 64, 4, 0, s).Length).Min();
        Assert.True(WebpEncoder.Encode(noise, 64, 64, 4).Length <= either + 64);
    }

    [Fact]
    public void A_single_pixel_is_five_simple_codes_and_no_pixel_bits()
    {
        // (R, G, B) = (10, 20, 30), opaque, no transform.
        var webp = WebpEncoder.Encode([10, 20, 30], 1, 1, 3, 0, subtractGreen: false);
        var r = new LsbReader(AssertRiff(webp));
        Assert.Equal(0x2Fu, r.Read(8));
        Assert.Equal(0u, r.Read(14)); // width − 1
        Assert.Equal(0u, r.Read(14)); // height − 1
        Assert.Equal(0u, r.Read(1)); // alpha_is_used
        Assert.Equal(0u, r.Read(3)); // version
        Assert.Equal(0u, r.Read(1)); // no transform
        Assert.Equal(0u, r.Read(1)); // no colour cache
        Assert.Equal(0u, r.Read(1)); // no meta prefix codes
        foreach (var symbol in new uint[] { 20, 10, 30, 255 })
        {
            // Simple code, one symbol, 8-bit symbol.
            Assert.Equal([1u, 0u, 1u, symbol], [r.Read(1), r.Read(1), r.Read(1), r.Read(8)]);
        }
        // Distance: simple code, one symbol, the 1-bit symbol 0. Then the pixel takes no bits: only padding is left.
        Assert.Equal([1u, 0u, 0u, 0u], [r.Read(1), r.Read(1), r.Read(1), r.Read(1)]);
        Assert.Equal(91, r.Position);
        Assert.Equal(12, r.Length);
        Assert.Equal(0u, r.Read(5));
    }

    [Fact]
    public void Two_symbol_codes_send_the_smaller_symbol_first_with_the_1_bit_form_when_it_fits()
    {
        // Green is 0 or 1 (the 1-bit first-symbol form), red 7 or 200, blue constant, alpha 0 or 255.
        byte[] pixels = [200, 1, 9, 255, 7, 0, 9, 0, 7, 1, 9, 255, 200, 0, 9, 0];
        var webp = WebpEncoder.Encode(pixels, 2, 2, 4, 0, subtractGreen: false);
        var r = new LsbReader(AssertRiff(webp));
        r.Read(8);
        r.Read(28);
        Assert.Equal(1u, r.Read(1)); // alpha_is_used
        r.Read(3 + 3);
        Assert.Equal([1u, 1u, 0u, 0u, 1u], [r.Read(1), r.Read(1), r.Read(1), r.Read(1), r.Read(8)]); // green {0, 1}
        Assert.Equal([1u, 1u, 1u, 7u, 200u], [r.Read(1), r.Read(1), r.Read(1), r.Read(8), r.Read(8)]); // red {7, 200}
        Assert.Equal([1u, 0u, 1u, 9u], [r.Read(1), r.Read(1), r.Read(1), r.Read(8)]); // blue {9}
        Assert.Equal([1u, 1u, 0u, 0u, 255u], [r.Read(1), r.Read(1), r.Read(1), r.Read(1), r.Read(8)]); // alpha {0, 255}
        Assert.Equal([1u, 0u, 0u, 0u], [r.Read(1), r.Read(1), r.Read(1), r.Read(1)]); // distance {0}
        // Pixels: green, red, (blue: no bits), alpha, one bit each, the smaller symbol being 0.
        foreach (var (g, red, a) in new[] { (1u, 1u, 1u), (0u, 0u, 0u), (1u, 0u, 1u), (0u, 1u, 0u) })
        {
            Assert.Equal([g, red, a], [r.Read(1), r.Read(1), r.Read(1)]);
        }
        Assert.Equal(r.Length * 8 - r.Position, (int)(8 - r.Position % 8) % 8);
        AssertRoundTrips(webp, pixels, 2, 2, 4, "two-symbol codes");
    }

    [Fact]
    public void An_odd_chunk_is_padded_to_an_even_size()
    {
        // All-zero RGB: four 1-bit-symbol simple codes (4 bits each), alpha's 8-bit one (11): 70 bits, 9 bytes.
        var webp = WebpEncoder.Encode([0, 0, 0], 1, 1, 3, 0, subtractGreen: false);
        Assert.Equal(9u, BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(16)));
        Assert.Equal(30, webp.Length);
        Assert.Equal(0, webp[^1]);
        AssertRiff(webp);
        AssertRoundTrips(webp, [0, 0, 0], 1, 1, 3, "odd chunk");
    }

    [Fact]
    public void Normal_codes_are_sent_for_many_symbols_and_their_code_lengths_are_complete()
    {
        // Every red value once, green a ramp: normal codes with all three kinds of run-length token.
        var pixels = new byte[256 * 3];
        for (var i = 0; i < 256; i++)
        {
            pixels[3 * i] = (byte)i;
            pixels[3 * i + 1] = (byte)(i / 16 * 16);
            pixels[3 * i + 2] = (byte)(i % 3 == 0 ? 0 : i);
        }
        var webp = WebpEncoder.Encode(pixels, 16, 16, 3, 0, subtractGreen: false);
        var r = new LsbReader(AssertRiff(webp));
        r.Read(8);
        r.Read(32);
        r.Read(3);
        var green = ReadNormalCodeLengths(r, 280);
        Assert.Equal(16, green.Count(l => l > 0));
        PrefixCodeTests.AssertComplete(green, 15);
        var red = ReadNormalCodeLengths(r, 256);
        Assert.All(red, l => Assert.Equal(8, l)); // 256 equally common values: 8 bits each
        var blue = ReadNormalCodeLengths(r, 256);
        PrefixCodeTests.AssertComplete(blue, 15);
        Assert.True(blue[0] < blue[1], "blue 0 is the most common value, so it has the shortest code");
        AssertRoundTrips(webp, pixels, 16, 16, 3, "normal codes");
    }

    [Fact]
    public void Strides_and_bad_arguments()
    {
        const int width = 5, height = 3, stride = 40;
        var padded = new byte[stride * height];
        var packed = new byte[width * 4 * height];
        new Random(5).NextBytes(padded);
        for (var y = 0; y < height; y++)
        {
            padded.AsSpan(y * stride, width * 4).CopyTo(packed.AsSpan(y * width * 4));
        }
        Assert.Equal(WebpEncoder.Encode(packed, width, height, 4), WebpEncoder.Encode(padded, width, height, 4, stride));
        Assert.Throws<ArgumentException>(() => WebpEncoder.Encode(new byte[10], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => WebpEncoder.Encode(new byte[3], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WebpEncoder.Encode(new byte[3], 1, 16385));
        Assert.Throws<ArgumentOutOfRangeException>(() => WebpEncoder.Encode(new byte[3], 1, 1, 2));
    }

    [Fact]
    public void A_720p_thumbnail_round_trips_and_is_smaller_than_its_pixels()
    {
        // How fast it encodes is a benchmark's question (a timed test fails on a busy machine); what it encodes is not.
        var (pixels, _) = TestImages.Make("artwork", 1280, 720);
        var webp = WebpEncoder.Encode(pixels, 1280, 720);
        output.WriteLine($"1280x720 artwork: {webp.Length:N0} bytes ({webp.Length * 8.0 / (1280 * 720):F2} bits/pixel)");
        AssertRoundTrips(webp, pixels, 1280, 720, 3, "720p artwork");
        Assert.True(webp.Length < pixels.Length, $"{webp.Length} bytes for {pixels.Length} bytes of pixels");
    }

    private static void AssertRoundTrips(byte[] webp, byte[] pixels, int width, int height, int channels, string what)
    {
        AssertRiff(webp);
        var header = Vp8l(webp);
        Assert.Equal((width, height), (header.Width, header.Height));
        var rgba = TestImages.ToRgba(pixels, channels);
        Assert.Equal(rgba.Where((_, i) => i % 4 == 3).Any(a => a != 255), header.AlphaIsUsed);

        using var folder = new TempFolder();
        var path = folder.File("image.webp");
        File.WriteAllBytes(path, webp);
        var stream = MediaTools.ProbeOnlyStream(path);
        Assert.Equal("webp", stream.GetProperty("codec_name").GetString());
        Assert.Equal((width, height), (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32()));
        var decoded = MediaTools.DecodeRaw(path, "rgba");
        Assert.Equal(rgba.Length, decoded.Length);
        var first = rgba.AsSpan().CommonPrefixLength(decoded);
        Assert.True(first == rgba.Length, $"{what} {width}x{height}: pixel {first / 4} (channel {first % 4}) decodes as {(first < decoded.Length ? decoded[first] : -1)}, not {(first < rgba.Length ? rgba[first] : -1)}");
    }

    /// <summary>Checks the RIFF container and returns the VP8L chunk's payload.</summary>
    internal static byte[] AssertRiff(byte[] webp)
    {
        Assert.Equal("RIFF", Encoding.ASCII.GetString(webp, 0, 4));
        Assert.Equal((uint)webp.Length - 8, BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(4)));
        Assert.Equal("WEBPVP8L", Encoding.ASCII.GetString(webp, 8, 8));
        var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(16));
        Assert.Equal(webp.Length, 20 + size + (size & 1));
        Assert.Equal(0x2F, webp[20]);
        Assert.Equal(0, webp.Length % 2);
        return webp[20..(20 + size)];
    }

    private static (int Width, int Height, bool AlphaIsUsed, bool TransformPresent) Vp8l(byte[] webp)
    {
        var r = new LsbReader(AssertRiff(webp));
        Assert.Equal(0x2Fu, r.Read(8));
        var width = (int)r.Read(14) + 1;
        var height = (int)r.Read(14) + 1;
        var alpha = r.Read(1) == 1;
        Assert.Equal(0u, r.Read(3));
        var transform = r.Read(1) == 1;
        if (transform)
        {
            Assert.Equal(2u, r.Read(2)); // only ever subtract-green
            Assert.Equal(0u, r.Read(1));
        }
        Assert.Equal(0u, r.Read(1)); // colour cache
        Assert.Equal(0u, r.Read(1)); // meta prefix codes
        return (width, height, alpha, transform);
    }

    /// <summary>A normal code's lengths, read as the specification says (the test's own reading, not the encoder's).</summary>
    private static byte[] ReadNormalCodeLengths(LsbReader r, int alphabet)
    {
        Assert.Equal(0u, r.Read(1)); // not simple
        int[] order = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        var codeLengthLengths = new byte[19];
        var count = (int)r.Read(4) + 4;
        for (var i = 0; i < count; i++)
        {
            codeLengthLengths[order[i]] = (byte)r.Read(3);
        }
        var used = codeLengthLengths.Count(l => l > 0);
        if (used > 1)
        {
            PrefixCodeTests.AssertComplete(codeLengthLengths, 7);
        }
        var codes = new uint[19];
        PrefixCode.AssignCodes(codeLengthLengths, codes);
        var maxSymbol = alphabet;
        if (r.Read(1) == 1)
        {
            maxSymbol = 2 + (int)r.Read(2 + 2 * (int)r.Read(3));
        }
        var lengths = new byte[alphabet];
        var previous = (byte)8;
        for (var s = 0; s < alphabet && maxSymbol-- > 0;)
        {
            var token = used == 1 ? Array.FindIndex(codeLengthLengths, l => l > 0) : ReadSymbol(r, codeLengthLengths, codes);
            if (token < 16)
            {
                lengths[s++] = (byte)token;
                previous = token != 0 ? (byte)token : previous;
                continue;
            }
            var repeat = token switch { 16 => 3 + (int)r.Read(2), 17 => 3 + (int)r.Read(3), _ => 11 + (int)r.Read(7) };
            Assert.True(s + repeat <= alphabet);
            for (var k = 0; k < repeat; k++)
            {
                lengths[s++] = token == 16 ? previous : (byte)0;
            }
        }
        return lengths;
    }

    private static int ReadSymbol(LsbReader r, byte[] lengths, uint[] codes)
    {
        uint code = 0;
        for (var length = 1; length <= 15; length++)
        {
            code = code << 1 | r.Read(1); // codes come most significant bit first
            for (var s = 0; s < lengths.Length; s++)
            {
                if (lengths[s] == length && codes[s] == code)
                {
                    return s;
                }
            }
        }
        throw new InvalidDataException("No code matches.");
    }

    internal sealed class LsbReader(byte[] data)
    {
        public int Position { get; private set; }

        public int Length => data.Length;

        public uint Read(int count)
        {
            Assert.InRange(count, 0, 32);
            var value = 0u;
            for (var i = 0; i < count; i++, Position++)
            {
                Assert.True(Position < data.Length * 8, "read past the end");
                value |= (uint)(data[Position >> 3] >> (Position & 7) & 1) << i;
            }
            return value;
        }
    }
}

/// <summary>Test pictures: the sandbox's own artwork and some that reach every path of the encoders.</summary>
internal static class TestImages
{
    /// <summary>
    /// <c>artwork</c> (RGB, the prompt artwork fitted to the size: very detailed when tiny), <c>crop</c> (RGB, the
    /// top left of a 512×512 artwork: as smooth at any size as a large picture), <c>alpha</c> (the artwork with a varying alpha), <c>noise</c> (RGBA, all
    /// random), <c>constant</c> (RGBA: random red, green 0/1, blue constant, alpha 0/255), <c>flat</c> (RGB, one colour),
    /// <c>gray</c> (RGB, R = G = B).
    /// </summary>
    public static (byte[] Pixels, int Channels) Make(string pattern, int width, int height)
    {
        var random = new Random(width * 7919 + height);
        var rgb = new byte[width * height * 3];
        new PromptArtwork("a lighthouse at dusk, oil on canvas").Render(rgb, width * 3, width, height, new PixelRect(0, 0, width, height));
        switch (pattern)
        {
            case "artwork":
                return (rgb, 3);
            case "crop":
                var (large, side) = (new byte[512 * 512 * 3], 512);
                new PromptArtwork("a lighthouse at dusk, oil on canvas").Render(large, side * 3, side, side, new PixelRect(0, 0, Math.Min(width, side), Math.Min(height, side)));
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        large.AsSpan((y % side * side + x % side) * 3, 3).CopyTo(rgb.AsSpan((y * width + x) * 3));
                    }
                }
                return (rgb, 3);
            case "flat":
                rgb.AsSpan().Fill(0);
                for (var i = 0; i < rgb.Length; i += 3)
                {
                    (rgb[i], rgb[i + 1], rgb[i + 2]) = ((byte)12, (byte)200, (byte)77);
                }
                return (rgb, 3);
            case "gray":
                for (var i = 0; i < rgb.Length; i += 3)
                {
                    rgb[i] = rgb[i + 2] = rgb[i + 1];
                }
                return (rgb, 3);
        }
        var rgba = new byte[width * height * 4];
        for (var p = 0; p < width * height; p++)
        {
            var x = p % width;
            var y = p / width;
            (byte R, byte G, byte B, byte A) pixel = pattern switch
            {
                "alpha" => (rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2], (byte)(x * 255 / Math.Max(1, width - 1) ^ y)),
                "noise" => ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)),
                "constant" => ((byte)random.Next(256), (byte)(x & 1), 93, (byte)(y % 3 == 0 ? 0 : 255)),
                _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
            };
            (rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2], rgba[4 * p + 3]) = pixel;
        }
        return (rgba, 4);
    }

    public static byte[] ToRgba(byte[] pixels, int channels)
    {
        if (channels == 4)
        {
            return pixels;
        }
        var rgba = new byte[pixels.Length / 3 * 4];
        for (int i = 0, o = 0; i < pixels.Length; i += 3, o += 4)
        {
            (rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3]) = (pixels[i], pixels[i + 1], pixels[i + 2], (byte)255);
        }
        return rgba;
    }
}
