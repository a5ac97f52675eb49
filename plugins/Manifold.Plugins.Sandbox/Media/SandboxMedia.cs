using System.Globalization;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// The sandbox platform's media, made locally from the prompt alone with no external tool: PNG images, MP4 videos
/// (H.264), and a video's thumbnail (lossless WebP) and spritesheet (JPEG), the formats OpenAI answers with. The
/// same arguments always give the same bytes on one machine (floating-point rendering may differ by a unit between
/// processor architectures).
/// </summary>
internal static class SandboxMedia
{
    public const string PngMediaType = PngEncoder.MediaType;
    public const string WebpMediaType = WebpEncoder.MediaType;
    public const string JpegMediaType = JpegEncoder.MediaType;
    public const string Mp4MediaType = Mp4Muxer.MediaType;
    public const int DefaultImageSize = 1024;
    public const int MaxImageDimension = 4096;

    /// <summary>Spritesheets hold up to this many frames, evenly spaced from the first to the last.</summary>
    public const int SpritesheetFrames = 16;

    public const int SpritesheetColumns = 4;

    /// <summary>A spritesheet tile's longer side, at most.</summary>
    public const int SpritesheetTileSize = 256;

    /// <summary>The spritesheet's JPEG quality (1–100, as the IJG library scales its tables).</summary>
    public const int SpritesheetJpegQuality = JpegEncoder.DefaultQuality;

    /// <summary>The prompt's artwork as a PNG of <paramref name="width"/>×<paramref name="height"/> (1–4096 each).</summary>
    public static byte[] RenderImagePng(string? prompt, int width = DefaultImageSize, int height = DefaultImageSize)
    {
        if (width < 1 || height < 1 || width > MaxImageDimension || height > MaxImageDimension)
        {
            throw new ArgumentOutOfRangeException(
                width < 1 || width > MaxImageDimension ? nameof(width) : nameof(height),
                string.Create(CultureInfo.InvariantCulture, $"An image is 1–{MaxImageDimension} pixels wide and high; got {width}x{height}."));
        }
        var rgb = new byte[width * height * 3];
        new PromptArtwork(prompt).Render(rgb, width * 3, width, height, new PixelRect(0, 0, width, height));
        return PngEncoder.Encode(rgb, width, height);
    }

    /// <summary>Plans a video (see <see cref="SandboxVideo"/>): its <see cref="SandboxVideo.Length"/> is known before writing.</summary>
    public static SandboxVideo CreateVideo(string? prompt, int width, int height, double seconds) =>
        SandboxVideo.Create(prompt, width, height, seconds);

    /// <summary>Writes the prompt's MP4 video to <paramref name="destination"/>; even sizes 16–2048, 0–60 seconds.</summary>
    public static void RenderVideoMp4(string? prompt, int width, int height, double seconds, Stream destination) =>
        SandboxVideo.Create(prompt, width, height, seconds).WriteTo(destination);

    /// <inheritdoc cref="RenderVideoMp4"/>
    public static Task RenderVideoMp4Async(string? prompt, int width, int height, double seconds, Stream destination, CancellationToken cancellationToken = default) =>
        SandboxVideo.Create(prompt, width, height, seconds).WriteToAsync(destination, cancellationToken);

    /// <summary>
    /// The video's middle frame, full size, as lossless WebP: what OpenAI's <c>variant=thumbnail</c> answers
    /// (<see cref="WebpMediaType"/>).
    /// </summary>
    public static byte[] RenderVideoThumbnailWebp(string? prompt, int width, int height, double seconds)
    {
        var frameCount = CheckVideo(width, height, seconds);
        var scene = new VideoScene(new PromptArtwork(prompt), width, height, frameCount, SandboxVideo.FramesPerSecond, width, height);
        var rgb = new byte[width * height * 3];
        scene.Render(frameCount / 2, rgb, width * 3, new PixelRect(0, 0, width, height));
        return WebpEncoder.Encode(rgb, width, height);
    }

    /// <summary>
    /// Up to <see cref="SpritesheetFrames"/> frames, evenly spaced, in rows of <see cref="SpritesheetColumns"/>, each
    /// scaled so its longer side is at most <see cref="SpritesheetTileSize"/>, as a JPEG (4:2:0, quality
    /// <see cref="SpritesheetJpegQuality"/>): what OpenAI's <c>variant=spritesheet</c> answers (<see cref="JpegMediaType"/>).
    /// </summary>
    public static byte[] RenderVideoSpritesheetJpeg(string? prompt, int width, int height, double seconds)
    {
        var frameCount = CheckVideo(width, height, seconds);
        var scale = Math.Min(1.0, (double)SpritesheetTileSize / Math.Max(width, height));
        var tileWidth = Math.Max(1, (int)Math.Round(width * scale));
        var tileHeight = Math.Max(1, (int)Math.Round(height * scale));
        var tiles = Math.Min(SpritesheetFrames, frameCount);
        var columns = Math.Min(SpritesheetColumns, tiles);
        var rows = (tiles + columns - 1) / columns;
        var sheetWidth = columns * tileWidth;
        var sheetHeight = rows * tileHeight;
        var stride = sheetWidth * 3;
        var rgb = new byte[stride * sheetHeight];
        var scene = new VideoScene(new PromptArtwork(prompt), tileWidth, tileHeight, frameCount, SandboxVideo.FramesPerSecond, tileWidth, tileHeight);
        for (var k = 0; k < tiles; k++)
        {
            var frame = tiles == 1 ? 0 : (int)Math.Round((double)k * (frameCount - 1) / (tiles - 1));
            var origin = k / columns * tileHeight * stride + k % columns * tileWidth * 3;
            scene.Render(frame, rgb.AsSpan(origin), stride, new PixelRect(0, 0, tileWidth, tileHeight));
        }
        return JpegEncoder.Encode(rgb, sheetWidth, sheetHeight, SpritesheetJpegQuality);
    }

    /// <summary>Checks a video's size and duration as <see cref="SandboxVideo.Create"/> does; returns its frame count.</summary>
    private static int CheckVideo(int width, int height, double seconds)
    {
        SandboxVideo.CheckSize(width, height);
        SandboxVideo.CheckSeconds(seconds);
        return SandboxVideo.FrameCountFor(seconds);
    }
}
