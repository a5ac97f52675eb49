using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Manifold.Plugins.Sandbox.Media;
using Xunit.Abstractions;

namespace Manifold.Plugins.Tests.Sandbox.Media;

public sealed class JpegTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 1, 420)]
    [InlineData(1, 1, 444)]
    [InlineData(7, 5, 420)]
    [InlineData(17, 9, 420)]
    [InlineData(17, 9, 444)]
    [InlineData(33, 31, 420)]
    [InlineData(256, 144, 420)]
    [InlineData(1023, 577, 420)]
    [InlineData(1024, 576, 444)]
    public void Ffmpeg_decodes_it_cleanly_and_close_to_the_pixels(int width, int height, int chroma)
    {
        var subsampling = chroma == 420 ? JpegSubsampling.Yuv420 : JpegSubsampling.Yuv444;
        var (rgb, _) = TestImages.Make("crop", width, height);
        var watch = Stopwatch.StartNew();
        var jpeg = JpegEncoder.Encode(rgb, width, height, 90, subsampling);
        watch.Stop();
        var psnr = AssertDecodes(jpeg, rgb, width, height, subsampling);
        output.WriteLine($"{width}x{height} {subsampling} q90: {jpeg.Length:N0} bytes, PSNR {psnr:F1} dB, {watch.ElapsedMilliseconds} ms");
        Assert.True(psnr > 30, $"PSNR {psnr:F1} dB");
    }

    [Theory]
    [InlineData(100, 43)]
    [InlineData(75, 33)]
    [InlineData(50, 31)]
    [InlineData(10, 24)]
    [InlineData(1, 12)]
    public void Quality_trades_size_for_fidelity(int quality, double minimumPsnr)
    {
        var (rgb, _) = TestImages.Make("artwork", 96, 80);
        var jpeg = JpegEncoder.Encode(rgb, 96, 80, quality);
        var psnr = AssertDecodes(jpeg, rgb, 96, 80, JpegSubsampling.Yuv420);
        output.WriteLine($"q{quality}: {jpeg.Length:N0} bytes, PSNR {psnr:F1} dB");
        Assert.True(psnr > minimumPsnr, $"PSNR {psnr:F1} dB");
        if (quality > 1)
        {
            Assert.True(jpeg.Length > JpegEncoder.Encode(rgb, 96, 80, quality / 2).Length);
        }
    }

    [Fact]
    public void Noise_and_extremes_decode_cleanly()
    {
        // Random pixels reach the largest coefficients and every Huffman code length; black and white the DC limits.
        var (noise, _) = TestImages.Make("noise", 40, 24);
        var rgb = new byte[40 * 24 * 3];
        for (var p = 0; p < 40 * 24; p++)
        {
            noise.AsSpan(4 * p, 3).CopyTo(rgb.AsSpan(3 * p));
        }
        for (var i = 0; i < 40 * 3 * 8; i++)
        {
            rgb[i] = (byte)(i / 3 % 2 == 0 ? 0 : 255); // an 8-row band of black and white columns
        }
        foreach (var quality in new[] { 1, 50, 100 })
        {
            foreach (var subsampling in new[] { JpegSubsampling.Yuv420, JpegSubsampling.Yuv444 })
            {
                AssertDecodes(JpegEncoder.Encode(rgb, 40, 24, quality, subsampling), rgb, 40, 24, subsampling);
            }
        }
        var black = new byte[16 * 16 * 3];
        var white = Enumerable.Repeat((byte)255, 16 * 16 * 3).ToArray();
        Assert.True(AssertDecodes(JpegEncoder.Encode(black, 16, 16, 100), black, 16, 16, JpegSubsampling.Yuv420) > 45);
        Assert.True(AssertDecodes(JpegEncoder.Encode(white, 16, 16, 100), white, 16, 16, JpegSubsampling.Yuv420) > 45);
    }

    [Fact]
    public void The_file_is_jfif_with_the_tables_frame_and_scan_a_baseline_decoder_expects()
    {
        var (rgb, _) = TestImages.Make("artwork", 35, 19);
        var jpeg = JpegEncoder.Encode(rgb, 35, 19, 90);
        var segments = Segments(jpeg, out var scan);
        Assert.Equal(["APP0", "DQT", "SOF0", "DHT", "SOS"], segments.Select(s => s.Name));

        var app0 = segments[0].Data;
        Assert.Equal("JFIF\0", Encoding.ASCII.GetString(app0, 0, 5));
        Assert.Equal([1, 1], app0[5..7]);

        var dqt = segments[1].Data;
        Assert.Equal(130, dqt.Length);
        var luma = JpegEncoder.ScaleQuantization(JpegEncoder.LuminanceQuantization, 90);
        var chroma = JpegEncoder.ScaleQuantization(JpegEncoder.ChrominanceQuantization, 90);
        Assert.Equal(0, dqt[0]);
        Assert.Equal(JpegEncoder.ZigZag.Select(n => luma[n]), dqt[1..65]);
        Assert.Equal(1, dqt[65]);
        Assert.Equal(JpegEncoder.ZigZag.Select(n => chroma[n]), dqt[66..130]);

        var sof = segments[2].Data;
        Assert.Equal(8, sof[0]);
        Assert.Equal(19, BinaryPrimitives.ReadUInt16BigEndian(sof.AsSpan(1)));
        Assert.Equal(35, BinaryPrimitives.ReadUInt16BigEndian(sof.AsSpan(3)));
        Assert.Equal([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1], sof[5..]);
        Assert.Equal(0x11, Segments(JpegEncoder.Encode(rgb, 35, 19, 90, JpegSubsampling.Yuv444), out _)[2].Data[7]);

        var dht = segments[3].Data;
        Assert.Equal(4 + 2 * (16 + 12) + 2 * (16 + 162), dht.Length);
        Assert.Equal([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0], segments[4].Data);

        // The entropy-coded data: every 0xFF stuffed with a 0x00 (there are no restart markers), then EOI.
        Assert.NotEmpty(scan);
        for (var i = 0; i < scan.Length; i++)
        {
            if (scan[i] == 0xFF)
            {
                Assert.Equal(0x00, scan[++i]);
            }
        }
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
    }

    [Fact]
    public void The_annex_k_tables_code_every_symbol_baseline_needs()
    {
        var dcSymbols = Enumerable.Range(0, 12).Select(i => (byte)i).ToHashSet();
        var acSymbols = Enumerable.Range(0, 16).SelectMany(run => Enumerable.Range(1, 10).Select(size => (byte)(run << 4 | size)))
            .Append((byte)0x00).Append((byte)0xF0).ToHashSet();
        foreach (var (table, symbols) in new[]
        {
            (JpegEncoder.LuminanceDc.ToArray(), dcSymbols), (JpegEncoder.ChrominanceDc.ToArray(), dcSymbols),
            (JpegEncoder.LuminanceAc.ToArray(), acSymbols), (JpegEncoder.ChrominanceAc.ToArray(), acSymbols),
        })
        {
            var counts = table[..16];
            var values = table[16..];
            Assert.Equal(counts.Sum(c => c), values.Length);
            Assert.Equal(values.Length, values.Distinct().Count());
            Assert.True(symbols.SetEquals(values));
            // No code is all ones (T.81 C.2): Σ 2^-length < 1.
            Assert.True(counts.Select((c, i) => c * (1 << (16 - (i + 1)))).Sum() < 1 << 16);
        }

        var dc = new JpegEncoder.HuffmanTable(JpegEncoder.LuminanceDc);
        Assert.Equal((0b00u, 2), (dc.Codes[0], (int)dc.Lengths[0]));
        Assert.Equal((0b010u, 3), (dc.Codes[1], (int)dc.Lengths[1]));
        Assert.Equal((0b110u, 3), (dc.Codes[5], (int)dc.Lengths[5]));
        Assert.Equal((0b111111110u, 9), (dc.Codes[11], (int)dc.Lengths[11]));
        var ac = new JpegEncoder.HuffmanTable(JpegEncoder.LuminanceAc);
        Assert.Equal((0b1010u, 4), (ac.Codes[0x00], (int)ac.Lengths[0x00])); // EOB
        Assert.Equal((0b11111111001u, 11), (ac.Codes[0xF0], (int)ac.Lengths[0xF0])); // ZRL
        Assert.Equal((0b00u, 2), (ac.Codes[0x01], (int)ac.Lengths[0x01]));
        Assert.Equal((0b100u, 3), (ac.Codes[0x03], (int)ac.Lengths[0x03]));
        Assert.Equal((0b1111111111111110u, 16), (ac.Codes[0xFA], (int)ac.Lengths[0xFA]));
    }

    [Fact]
    public void Quantization_scales_as_the_ijg_library_does_and_zig_zag_is_a_permutation()
    {
        Assert.Equal(JpegEncoder.LuminanceQuantization.ToArray(), JpegEncoder.ScaleQuantization(JpegEncoder.LuminanceQuantization, 50));
        Assert.All(JpegEncoder.ScaleQuantization(JpegEncoder.LuminanceQuantization, 100), q => Assert.Equal(1, q));
        Assert.All(JpegEncoder.ScaleQuantization(JpegEncoder.ChrominanceQuantization, 1), q => Assert.Equal(255, q));
        var q90 = JpegEncoder.ScaleQuantization(JpegEncoder.LuminanceQuantization, 90);
        Assert.Equal([3, 2, 2, 3, 5, 8, 10, 12], q90[..8]); // (16·20 + 50) / 100 = 3, …
        Assert.Equal(32, JpegEncoder.ScaleQuantization(JpegEncoder.LuminanceQuantization, 25)[0]); // 16 · 200%

        Assert.Equal([0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5], JpegEncoder.ZigZag[..16]);
        Assert.Equal([61, 54, 47, 55, 62, 63], JpegEncoder.ZigZag[^6..]);
        Assert.Equal(Enumerable.Range(0, 64), JpegEncoder.ZigZag.Select(z => (int)z).Order());
    }

    [Fact]
    public void A_flat_colour_is_tiny_and_comes_back_within_a_level()
    {
        var rgb = new byte[64 * 48 * 3];
        for (var i = 0; i < rgb.Length; i += 3)
        {
            (rgb[i], rgb[i + 1], rgb[i + 2]) = ((byte)40, (byte)120, (byte)200);
        }
        var jpeg = JpegEncoder.Encode(rgb, 64, 48, 90);
        Assert.True(jpeg.Length < 700, $"{jpeg.Length} bytes");
        using var folder = new TempFolder();
        var path = folder.File("flat.jpg");
        File.WriteAllBytes(path, jpeg);
        var decoded = MediaTools.DecodeRaw(path, "rgb24");
        Assert.All(decoded.Select((v, i) => v - rgb[i]), d => Assert.InRange(d, -2, 2));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => JpegEncoder.Encode(new byte[10], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegEncoder.Encode(new byte[3], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegEncoder.Encode(new byte[3], 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegEncoder.Encode(new byte[3], 1, 1, 101));
        var (rgb, _) = TestImages.Make("artwork", 9, 4);
        var padded = new byte[32 * 4];
        for (var y = 0; y < 4; y++)
        {
            rgb.AsSpan(y * 27, 27).CopyTo(padded.AsSpan(y * 32));
        }
        Assert.Equal(JpegEncoder.Encode(rgb, 9, 4), JpegEncoder.Encode(padded, 9, 4, stride: 32));
    }

    /// <summary>ffprobe and ffmpeg accept it without a word; returns the PSNR of ffmpeg's decoding against <paramref name="rgb"/>.</summary>
    private static double AssertDecodes(byte[] jpeg, byte[] rgb, int width, int height, JpegSubsampling subsampling)
    {
        using var folder = new TempFolder();
        var path = folder.File("image.jpg");
        File.WriteAllBytes(path, jpeg);
        var stream = MediaTools.ProbeOnlyStream(path);
        Assert.Equal("mjpeg", stream.GetProperty("codec_name").GetString());
        Assert.Equal("Baseline", stream.GetProperty("profile").GetString());
        Assert.Equal((width, height), (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32()));
        Assert.Equal(subsampling == JpegSubsampling.Yuv420 ? "yuvj420p" : "yuvj444p", stream.GetProperty("pix_fmt").GetString());
        Assert.Equal("pc", stream.GetProperty("color_range").GetString());
        MediaTools.AssertDecodesCleanly(path);
        var decoded = MediaTools.DecodeRaw(path, "rgb24");
        Assert.Equal(rgb.Length, decoded.Length);
        double squares = 0;
        for (var i = 0; i < rgb.Length; i++)
        {
            var d = rgb[i] - decoded[i];
            squares += d * d;
        }
        return squares == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255 * rgb.Length / squares);
    }

    /// <summary>The marker segments from SOI to SOS, and the bytes from there to EOI.</summary>
    private static List<(string Name, byte[] Data)> Segments(byte[] jpeg, out byte[] scan)
    {
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        var segments = new List<(string, byte[])>();
        var position = 2;
        while (true)
        {
            Assert.Equal(0xFF, jpeg[position]);
            var marker = jpeg[position + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(position + 2));
            var name = marker switch { 0xE0 => "APP0", 0xDB => "DQT", 0xC0 => "SOF0", 0xC4 => "DHT", 0xDA => "SOS", _ => $"0x{marker:X2}" };
            segments.Add((name, jpeg[(position + 4)..(position + 2 + length)]));
            position += 2 + length;
            if (marker == 0xDA)
            {
                scan = jpeg[position..^2];
                return segments;
            }
        }
    }
}
