using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Manifold.Plugins.Sandbox.Media;
using Xunit.Abstractions;

namespace Manifold.Plugins.Tests.Sandbox.Media;

public sealed class VideoTests(ITestOutputHelper output)
{
    private const string Prompt = "a paper boat drifting down a rainy street";

    [Theory]
    [InlineData(1280, 720, 4)]
    [InlineData(1280, 720, 8)]
    [InlineData(720, 1280, 4)]
    [InlineData(720, 1280, 8)]
    public void Videos_are_h264_mp4s_ffmpeg_plays_at_the_size_and_length_asked(int width, int height, double seconds)
    {
        using var folder = new TempFolder();
        var path = folder.File("video.mp4");
        var watch = Stopwatch.StartNew();
        var video = SandboxMedia.CreateVideo(Prompt, width, height, seconds);
        using (var file = File.Create(path))
        {
            video.WriteTo(file);
        }
        watch.Stop();
        var length = new FileInfo(path).Length;
        output.WriteLine($"{width}x{height} {seconds}s: {length:N0} bytes, {video.FrameCount} frames ({video.KeyFrameCount} IDR), level {video.LevelIdc}, {watch.ElapsedMilliseconds} ms");
        Assert.Equal(video.Length, length);
        Assert.True(length < 30_000_000, $"{length:N0} bytes");

        var probe = MediaTools.Probe(path);
        var stream = Assert.Single(probe.GetProperty("streams").EnumerateArray());
        Assert.Equal("h264", stream.GetProperty("codec_name").GetString());
        Assert.Contains(stream.GetProperty("profile").GetString(), new[] { "Baseline", "Constrained Baseline" });
        Assert.Equal(width, stream.GetProperty("width").GetInt32());
        Assert.Equal(height, stream.GetProperty("height").GetInt32());
        Assert.Equal("yuv420p", stream.GetProperty("pix_fmt").GetString());
        Assert.Equal(video.LevelIdc, stream.GetProperty("level").GetInt32());
        Assert.Equal("tv", stream.GetProperty("color_range").GetString());
        Assert.Equal("smpte170m", stream.GetProperty("color_space").GetString());
        Assert.Equal("24/1", stream.GetProperty("avg_frame_rate").GetString());
        Assert.Equal((int)(seconds * 24), int.Parse(stream.GetProperty("nb_frames").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(seconds, Seconds(stream.GetProperty("duration")), 0.1);
        Assert.Equal(seconds, Seconds(probe.GetProperty("format").GetProperty("duration")), 0.1);
        Assert.Contains("mp4", probe.GetProperty("format").GetProperty("format_name").GetString());

        MediaTools.AssertDecodesCleanly(path);
        Assert.Equal(["ftyp", "moov", "mdat"], TopLevelBoxes(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Decoded_frames_are_exactly_the_rendered_ones_with_cropping_and_a_short_last_frame()
    {
        // 200x120 is 13x8 macroblocks cropped by 8 pixels each way; 2.51 s is 61 frames, the last one 10 ms,
        // with IDR pictures at frames 0 and 48.
        const int width = 200, height = 120;
        const double seconds = 2.51;
        using var folder = new TempFolder();
        var path = folder.File("video.mp4");
        var video = SandboxMedia.CreateVideo(Prompt, width, height, seconds);
        using (var file = File.Create(path))
        {
            video.WriteTo(file);
        }
        Assert.Equal(61, video.FrameCount);
        Assert.Equal(2, video.KeyFrameCount);

        var stream = MediaTools.ProbeOnlyStream(path, "-count_frames");
        Assert.Equal(width, stream.GetProperty("width").GetInt32());
        Assert.Equal(height, stream.GetProperty("height").GetInt32());
        Assert.Equal("61", stream.GetProperty("nb_read_frames").GetString());
        Assert.Equal(seconds, Seconds(stream.GetProperty("duration")), 0.001);

        var decoded = MediaTools.DecodeRaw(path, "yuv420p", "-fps_mode", "passthrough");
        var frameBytes = width * height * 3 / 2;
        Assert.Equal(61 * frameBytes, decoded.Length);
        var frames = new SandboxVideo.FrameSequence(Prompt, width, height, video.FrameCount);
        var expected = new byte[frameBytes];
        var moving = 0;
        for (var i = 0; i < video.FrameCount; i++)
        {
            frames.Next(out var key);
            Assert.Equal(i % SandboxVideo.KeyFrameInterval == 0, key);
            moving += frames.ChangedMacroblocks.Count > 0 ? 1 : 0;
            frames.Picture.CopyToI420(width, height, expected);
            var actual = decoded.AsSpan(i * frameBytes, frameBytes);
            Assert.True(actual.SequenceEqual(expected), $"frame {i} differs from what was rendered");
        }
        Assert.Equal(video.FrameCount - 1, moving); // every frame after the first changes something
    }

    [Theory]
    [InlineData(0.5, 12)]
    [InlineData(1, 24)]
    [InlineData(4.01, 97)]
    [InlineData(12, 288)]
    [InlineData(20, 480)]
    public void Durations_are_as_asked(double seconds, int frames)
    {
        using var folder = new TempFolder();
        var path = folder.File("video.mp4");
        using (var file = File.Create(path))
        {
            SandboxMedia.RenderVideoMp4(Prompt, 64, 48, seconds, file);
        }
        var probe = MediaTools.Probe(path);
        var stream = probe.GetProperty("streams")[0];
        Assert.Equal(frames, int.Parse(stream.GetProperty("nb_frames").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(seconds, Seconds(stream.GetProperty("duration")), 0.001);
        Assert.Equal(seconds, Seconds(probe.GetProperty("format").GetProperty("duration")), 0.001);
        MediaTools.AssertDecodesCleanly(path);
    }

    [Fact]
    public async Task Writing_is_deterministic_sync_or_async_and_matches_the_planned_length()
    {
        var video = SandboxMedia.CreateVideo(Prompt, 320, 180, 3);
        using var sync = new MemoryStream();
        video.WriteTo(sync);
        using var async = new MemoryStream();
        await video.WriteToAsync(async);
        using var again = new MemoryStream();
        await SandboxMedia.RenderVideoMp4Async(Prompt, 320, 180, 3, again);
        Assert.Equal(video.Length, sync.Length);
        Assert.Equal(sync.ToArray(), async.ToArray());
        Assert.Equal(sync.ToArray(), again.ToArray());

        using var other = new MemoryStream();
        SandboxMedia.RenderVideoMp4("something else entirely", 320, 180, 3, other);
        Assert.NotEqual(sync.ToArray(), other.ToArray());
    }

    [Fact]
    public void The_file_starts_with_moov_whose_chunk_offset_points_at_an_idr_sample()
    {
        using var stream = new MemoryStream();
        SandboxMedia.RenderVideoMp4(Prompt, 96, 64, 1, stream);
        var file = stream.ToArray();
        Assert.Equal(["ftyp", "moov", "mdat"], TopLevelBoxes(file));
        var stco = IndexOf(file, "stco"u8);
        var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(stco + 12));
        Assert.Equal(IndexOf(file, "mdat"u8) + 4, offset);
        var firstNal = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
        Assert.True(firstNal > 0);
        Assert.Equal(0x65, file[offset + 4]); // nal_ref_idc 3, IDR slice
        Assert.True(IndexOf(file, "avcC"u8) > 0);
        // avcC names Constrained Baseline (profile 66, constraint_set0 and 1).
        var avcC = IndexOf(file, "avcC"u8) + 4;
        Assert.Equal([1, 66, 0xC0], file[avcC..(avcC + 3)]);
    }

    [Fact]
    public void The_sequence_parameter_set_declares_what_the_encoder_codes()
    {
        var encoder = new H264Encoder(1000, 562, 24);
        var sps = encoder.CreateSps(41);
        Assert.Equal(0x67, sps[0]);
        var r = new BitReader(BitstreamTests.Unescape(sps.AsSpan(1)));
        Assert.Equal(66u, r.ReadBits(8));
        Assert.Equal(0xC0u, r.ReadBits(8));
        Assert.Equal(41u, r.ReadBits(8));
        Assert.Equal(0u, r.ReadUe()); // sps id
        Assert.Equal(12u, r.ReadUe()); // log2_max_frame_num_minus4
        Assert.Equal(2u, r.ReadUe()); // pic_order_cnt_type
        Assert.Equal(1u, r.ReadUe()); // max_num_ref_frames
        Assert.False(r.ReadFlag());
        Assert.Equal(62u, r.ReadUe()); // 63 macroblocks = 1008 pixels
        Assert.Equal(35u, r.ReadUe()); // 36 macroblocks = 576 pixels
        Assert.True(r.ReadFlag()); // frame_mbs_only_flag
        Assert.True(r.ReadFlag()); // direct_8x8_inference_flag
        Assert.True(r.ReadFlag()); // frame_cropping_flag
        Assert.Equal([0u, 4u, 0u, 7u], new[] { r.ReadUe(), r.ReadUe(), r.ReadUe(), r.ReadUe() }); // 8 and 14 pixels
    }

    [Fact]
    public void Levels_follow_frame_size_and_rate()
    {
        // 1280x720 (3,600 macroblocks) at 24 fps with 1.39 MB I_PCM pictures needs level 4.1 (MinCR 2).
        Assert.Equal(41, H264Encoder.ChooseLevel(80, 45, 24, 1_390_000, 2_500_000));
        Assert.Equal(41, H264Encoder.ChooseLevel(45, 80, 24, 1_390_000, 2_500_000));
        Assert.Equal(42, H264Encoder.ChooseLevel(120, 68, 24, 3_140_000, 4_000_000));
        Assert.Equal(10, H264Encoder.ChooseLevel(4, 3, 24, 5_000, 8_000));
        Assert.Equal(11, H264Encoder.ChooseLevel(4, 3, 24, 5_000, 20_000)); // 160 kbit in a second: over level 1's 76.8
    }

    [Fact]
    public void A_frame_with_nothing_changed_is_one_skip_run()
    {
        var encoder = new H264Encoder(64, 32, 24);
        var picture = new MacroblockPicture(encoder.WidthInMbs, encoder.HeightInMbs);
        picture.Samples.AsSpan().Fill(128);
        var idr = encoder.EncodeIdr(picture, 0).ToArray();
        Assert.True(idr.Length > 8 * 384);
        var p = encoder.EncodeP(picture, [], 1).ToArray();
        Assert.Equal(0x41, p[0]);
        var r = new BitReader(BitstreamTests.Unescape(p.AsSpan(1)));
        Assert.Equal(0u, r.ReadUe()); // first_mb_in_slice
        Assert.Equal(5u, r.ReadUe()); // P
        Assert.Equal(0u, r.ReadUe()); // pps
        Assert.Equal(1u, r.ReadBits(16)); // frame_num
        Assert.False(r.ReadFlag()); // num_ref_idx_active_override_flag
        Assert.False(r.ReadFlag()); // ref_pic_list_modification_flag_l0
        Assert.False(r.ReadFlag()); // adaptive_ref_pic_marking_mode_flag
        Assert.Equal(0, r.ReadSe()); // slice_qp_delta
        Assert.Equal(1u, r.ReadUe()); // deblocking off
        Assert.Equal(8u, r.ReadUe()); // mb_skip_run: all 4x2 macroblocks
        Assert.True(r.ReadFlag()); // rbsp_stop_one_bit
        Assert.InRange(r.BitsLeft, 0, 7);
        Assert.Equal(0u, r.ReadBits((int)r.BitsLeft)); // alignment zeros, then the end
        Assert.Throws<ArgumentException>(() => encoder.EncodeP(picture, [3, 2], 1));
    }

    [Theory]
    [InlineData(1281, 720)]
    [InlineData(1280, 721)]
    [InlineData(8, 720)]
    [InlineData(1280, 4096)]
    public void Video_sizes_are_checked(int width, int height) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SandboxMedia.CreateVideo(Prompt, width, height, 4));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(60.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Video_durations_are_checked(double seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SandboxMedia.CreateVideo(Prompt, 1280, 720, seconds));

    [Theory]
    [InlineData(1280, 720, 1024, 576)]
    [InlineData(720, 1280, 576, 1024)]
    public void Thumbnails_are_lossless_webp_and_spritesheets_jpeg(int width, int height, int sheetWidth, int sheetHeight)
    {
        using var folder = new TempFolder();
        var thumbnail = folder.File("thumbnail.webp");
        var watch = Stopwatch.StartNew();
        var webp = SandboxMedia.RenderVideoThumbnailWebp(Prompt, width, height, 4);
        var thumbnailMs = watch.ElapsedMilliseconds;
        File.WriteAllBytes(thumbnail, webp);
        var stream = MediaTools.ProbeOnlyStream(thumbnail);
        Assert.Equal("webp", stream.GetProperty("codec_name").GetString());
        Assert.Equal((width, height), (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32()));
        // Lossless: ffmpeg decodes exactly the middle frame as rendered.
        var frameCount = 4 * SandboxVideo.FramesPerSecond;
        var rgb = new byte[width * height * 3];
        new VideoScene(new PromptArtwork(Prompt), width, height, frameCount, SandboxVideo.FramesPerSecond, width, height)
            .Render(frameCount / 2, rgb, width * 3, new PixelRect(0, 0, width, height));
        Assert.True(MediaTools.DecodeRaw(thumbnail, "rgb24").AsSpan().SequenceEqual(rgb), "the thumbnail decodes to other pixels");

        var sheet = folder.File("spritesheet.jpg");
        watch.Restart();
        var jpeg = SandboxMedia.RenderVideoSpritesheetJpeg(Prompt, width, height, 4);
        var sheetMs = watch.ElapsedMilliseconds;
        File.WriteAllBytes(sheet, jpeg);
        stream = MediaTools.ProbeOnlyStream(sheet);
        Assert.Equal("mjpeg", stream.GetProperty("codec_name").GetString());
        Assert.Equal("yuvj420p", stream.GetProperty("pix_fmt").GetString());
        Assert.Equal((sheetWidth, sheetHeight), (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32()));
        MediaTools.AssertDecodesCleanly(sheet);
        output.WriteLine($"{width}x{height}: thumbnail {webp.Length:N0} bytes WebP ({thumbnailMs} ms), spritesheet {sheetWidth}x{sheetHeight} {jpeg.Length:N0} bytes JPEG ({sheetMs} ms)");
    }

    [Fact]
    public void A_one_frame_spritesheet_is_one_tile()
    {
        using var folder = new TempFolder();
        var sheet = folder.File("spritesheet.jpg");
        File.WriteAllBytes(sheet, SandboxMedia.RenderVideoSpritesheetJpeg(Prompt, 64, 32, 0.01));
        var stream = MediaTools.ProbeOnlyStream(sheet);
        Assert.Equal((64, 32), (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32()));
    }

    private static double Seconds(JsonElement value) => double.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private static List<string> TopLevelBoxes(byte[] file)
    {
        var boxes = new List<string>();
        long position = 0;
        while (position < file.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)position));
            var type = Encoding.ASCII.GetString(file, (int)position + 4, 4);
            if (size == 1)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan((int)position + 8));
            }
            Assert.True(size >= 8, $"box {type} of size {size}");
            boxes.Add(type);
            position += size;
        }
        Assert.Equal(file.Length, position);
        return boxes;
    }

    private static int IndexOf(byte[] file, ReadOnlySpan<byte> type) => file.AsSpan().IndexOf(type);
}
