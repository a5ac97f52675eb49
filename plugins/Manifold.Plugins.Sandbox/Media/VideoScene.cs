using System.Numerics;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// One frame of a sandbox video: the prompt's <see cref="PromptArtwork"/> as a still background, a shaded ball that
/// bounces across it, a progress bar along the bottom and a <c>frame/frames</c> counter in the top-left corner,
/// so playback visibly moves and every frame is identifiable. All sizes follow the shorter side of the frame.
/// </summary>
internal sealed class VideoScene
{
    private readonly PromptArtwork _art;
    private readonly int _width;
    private readonly int _height;
    private readonly int _frameCount;
    private readonly int _framesPerSecond;
    private readonly int _renderWidth;
    private readonly int _renderHeight;
    private readonly float _radius;
    private readonly float _spanX;
    private readonly float _spanY;
    private readonly int _margin;
    private readonly PixelRect _progressTrack;
    private readonly PixelRect _counterBox;
    private readonly int _fontScale;
    private readonly int _counterDigits;
    private readonly Vector3 _ballColor;
    private readonly Vector3 _fillColor;
    private byte[]? _background;

    /// <param name="renderWidth">Width of the buffers rendered into; at least <paramref name="width"/> (a video encoder pads to whole macroblocks).</param>
    /// <param name="renderHeight">Height of the buffers rendered into; at least <paramref name="height"/>.</param>
    public VideoScene(PromptArtwork art, int width, int height, int frameCount, int framesPerSecond, int renderWidth, int renderHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(renderWidth, width);
        ArgumentOutOfRangeException.ThrowIfLessThan(renderHeight, height);
        _art = art;
        _width = width;
        _height = height;
        _frameCount = frameCount;
        _framesPerSecond = framesPerSecond;
        _renderWidth = renderWidth;
        _renderHeight = renderHeight;

        var shortSide = Math.Min(width, height);
        _radius = Math.Max(2f, 0.08f * shortSide);
        _margin = Math.Max(1, (int)MathF.Round(0.045f * shortSide));
        _spanX = Math.Max(0f, width - 2 * _margin - 2 * _radius);
        _spanY = Math.Max(0f, height - 2 * _margin - 2 * _radius);

        var barHeight = Math.Max(2, (int)MathF.Round(0.014f * shortSide));
        _progressTrack = PixelRect.FromEdges(_margin, height - _margin - barHeight, width - _margin, height - _margin);

        _fontScale = Math.Max(1, shortSide / 160);
        _counterDigits = Math.Max(3, frameCount.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var characters = 2 * _counterDigits + 1;
        var padding = 2 * _fontScale;
        _counterBox = new PixelRect(_margin, _margin, characters * 6 * _fontScale - _fontScale + 2 * padding, 7 * _fontScale + 2 * padding);

        _ballColor = art.Accent;
        _fillColor = Vector3.Lerp(art.Accent, Vector3.One, 0.55f);
    }

    private PixelRect Visible => new(0, 0, _width, _height);

    /// <summary>Renders frame <paramref name="frame"/> inside <paramref name="region"/> of a <c>renderWidth</c>-wide RGB buffer.</summary>
    public void Render(int frame, Span<byte> rgb, int stride, PixelRect region)
    {
        region = region.Intersect(new PixelRect(0, 0, _renderWidth, _renderHeight));
        if (region.IsEmpty)
        {
            return;
        }
        var background = Background();
        for (var y = region.Y; y < region.Bottom; y++)
        {
            background.AsSpan(y * _renderWidth * 3 + region.X * 3, region.Width * 3).CopyTo(rgb.Slice(y * stride + region.X * 3));
        }
        region = region.Intersect(Visible);
        DrawProgress(frame, rgb, stride, region.Intersect(_progressTrack));
        DrawCounter(frame, rgb, stride, region.Intersect(_counterBox));
        DrawBall(frame, rgb, stride, region.Intersect(BallBounds(frame)));
    }

    /// <summary>Adds the regions whose pixels may differ from the background in frame <paramref name="frame"/>.</summary>
    public void AddOverlayRegions(int frame, List<PixelRect> regions)
    {
        regions.Add(_progressTrack.Intersect(Visible));
        regions.Add(_counterBox.Intersect(Visible));
        regions.Add(BallBounds(frame).Intersect(Visible));
    }

    private byte[] Background()
    {
        if (_background is null)
        {
            var background = new byte[_renderWidth * _renderHeight * 3];
            _art.Render(background, _renderWidth * 3, _width, _height, new PixelRect(0, 0, _renderWidth, _renderHeight));
            _background = background;
        }
        return _background;
    }

    private Vector2 BallCenter(int frame)
    {
        var motion = _art.Motion;
        var seconds = (float)frame / _framesPerSecond;
        var u = Triangle(motion.X * 2f + (0.30f + 0.25f * motion.Z) * seconds);
        var v = Triangle(motion.Y * 2f + (0.45f + 0.30f * motion.W) * seconds);
        return new Vector2(_margin + _radius + u * _spanX, _margin + _radius + v * _spanY);
    }

    /// <summary>0 → 1 → 0 as <paramref name="x"/> goes 0 → 1 → 2, repeating.</summary>
    private static float Triangle(float x)
    {
        var m = x % 2f;
        if (m < 0f)
        {
            m += 2f;
        }
        return m <= 1f ? m : 2f - m;
    }

    private PixelRect BallBounds(int frame)
    {
        var c = BallCenter(frame);
        return PixelRect.FromEdges(
            (int)MathF.Floor(c.X - _radius) - 1, (int)MathF.Floor(c.Y - _radius) - 1,
            (int)MathF.Ceiling(c.X + _radius) + 2, (int)MathF.Ceiling(c.Y + _radius) + 2);
    }

    private void DrawBall(int frame, Span<byte> rgb, int stride, PixelRect clip)
    {
        var c = BallCenter(frame);
        var inverse = 1f / _radius;
        for (var y = clip.Y; y < clip.Bottom; y++)
        {
            var dy = (y + 0.5f - c.Y) * inverse;
            var row = rgb.Slice(y * stride);
            for (var x = clip.X; x < clip.Right; x++)
            {
                var dx = (x + 0.5f - c.X) * inverse;
                var d2 = dx * dx + dy * dy;
                var coverage = Math.Clamp(_radius * (1f - MathF.Sqrt(d2)) + 0.5f, 0f, 1f);
                if (coverage <= 0f)
                {
                    continue;
                }
                var nz = MathF.Sqrt(Math.Max(0f, 1f - d2));
                var diffuse = Math.Clamp(-0.45f * dx - 0.55f * dy + 0.70f * nz, 0f, 1f);
                var highlight = Math.Max(0f, 1f - ((dx + 0.35f) * (dx + 0.35f) + (dy + 0.40f) * (dy + 0.40f)) / 0.08f);
                var color = _ballColor * (0.30f + 0.70f * diffuse) + new Vector3(0.75f * highlight * highlight);
                Blend(row.Slice(x * 3, 3), color, coverage);
            }
        }
    }

    private void DrawProgress(int frame, Span<byte> rgb, int stride, PixelRect clip)
    {
        var end = _progressTrack.X + _progressTrack.Width * (float)(frame + 1) / _frameCount;
        for (var y = clip.Y; y < clip.Bottom; y++)
        {
            var row = rgb.Slice(y * stride);
            for (var x = clip.X; x < clip.Right; x++)
            {
                var pixel = row.Slice(x * 3, 3);
                Darken(pixel, 0.35f);
                var coverage = Math.Clamp(end - x, 0f, 1f);
                if (coverage > 0f)
                {
                    Blend(pixel, _fillColor, coverage);
                }
            }
        }
    }

    private void DrawCounter(int frame, Span<byte> rgb, int stride, PixelRect clip)
    {
        if (clip.IsEmpty)
        {
            return;
        }
        Span<char> text = stackalloc char[2 * _counterDigits + 1];
        Format(frame + 1, text[.._counterDigits]);
        text[_counterDigits] = '/';
        Format(_frameCount, text[(_counterDigits + 1)..]);

        var padding = 2 * _fontScale;
        var textX = _counterBox.X + padding;
        var textY = _counterBox.Y + padding;
        var white = new Vector3(0.95f);
        for (var y = clip.Y; y < clip.Bottom; y++)
        {
            var row = rgb.Slice(y * stride);
            var glyphRow = Math.DivRem(y - textY, _fontScale).Quotient;
            for (var x = clip.X; x < clip.Right; x++)
            {
                var pixel = row.Slice(x * 3, 3);
                Darken(pixel, 0.35f);
                if (y < textY || glyphRow >= 7 || x < textX)
                {
                    continue;
                }
                var column = (x - textX) / _fontScale;
                var character = column / 6;
                var glyphColumn = column % 6;
                if (character < text.Length && glyphColumn < 5 && BitmapFont.IsSet(text[character], glyphColumn, glyphRow))
                {
                    Blend(pixel, white, 1f);
                }
            }
        }
    }

    private static void Format(int value, Span<char> digits)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }

    private static void Darken(Span<byte> pixel, float factor)
    {
        for (var i = 0; i < 3; i++)
        {
            pixel[i] = (byte)(pixel[i] * factor + 0.5f);
        }
    }

    private static void Blend(Span<byte> pixel, Vector3 color, float alpha)
    {
        pixel[0] = PromptArtwork.ToByte(pixel[0] / 255f * (1f - alpha) + color.X * alpha);
        pixel[1] = PromptArtwork.ToByte(pixel[1] / 255f * (1f - alpha) + color.Y * alpha);
        pixel[2] = PromptArtwork.ToByte(pixel[2] / 255f * (1f - alpha) + color.Z * alpha);
    }
}

/// <summary>A 5×7 pixel font for the digits and <c>/</c>.</summary>
internal static class BitmapFont
{
    // Seven rows per glyph, the leftmost pixel in bit 4.
    private static readonly byte[] Digits =
    [
        0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E, // 0
        0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E, // 1
        0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F, // 2
        0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E, // 3
        0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02, // 4
        0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E, // 5
        0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E, // 6
        0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08, // 7
        0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E, // 8
        0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C, // 9
    ];

    private static readonly byte[] Slash = [0x01, 0x02, 0x02, 0x04, 0x08, 0x08, 0x10];

    public static bool IsSet(char c, int column, int row)
    {
        if ((uint)column >= 5 || (uint)row >= 7)
        {
            return false;
        }
        var bits = c switch
        {
            >= '0' and <= '9' => Digits[(c - '0') * 7 + row],
            '/' => Slash[row],
            _ => 0,
        };
        return (bits & (0x10 >> column)) != 0;
    }
}
