using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Manifold.Plugins.Sandbox.Media;

/// <summary>
/// A procedural picture decided by a prompt alone: the SHA-256 of its UTF-8 bytes picks a palette, a gradient
/// direction, three soft colour blobs and a pattern (rings, waves, interference or a dot grid), so the same prompt
/// always gives the same picture and different prompts visibly different ones. Coordinates are in units of the
/// picture's shorter side, so the picture looks the same at any size.
/// </summary>
internal sealed class PromptArtwork
{
    private const int BlobCount = 3;

    private readonly Vector3 _dark;
    private readonly Vector3 _light;
    private readonly Vector3[] _blobColors = new Vector3[BlobCount];
    private readonly Vector2[] _blobCenters = new Vector2[BlobCount];
    private readonly float[] _blobInverseRadiusSquared = new float[BlobCount];
    private readonly Vector2 _direction;
    private readonly int _pattern;
    private readonly float _frequency;
    private readonly float _phase;
    private readonly Vector2 _patternCenter;
    private readonly Vector2 _patternCenter2;

    public PromptArtwork(string? prompt)
    {
        Span<byte> h = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(prompt ?? string.Empty), h);

        var hue = h[0] * 360f / 256f;
        var offset = (h[1] % 3) switch
        {
            0 => 35f + h[2] % 40,   // analogous
            1 => 150f + h[2] % 60,  // complementary
            _ => 120f,              // triadic
        };
        var hue2 = hue + offset;
        _dark = Hsv(hue, 0.55f + 0.30f * h[3] / 255f, 0.22f + 0.22f * h[4] / 255f);
        _light = Hsv(hue2, 0.45f + 0.35f * h[5] / 255f, 0.78f + 0.20f * h[6] / 255f);
        Accent = Hsv(hue2 + 180f, 0.70f + 0.25f * h[7] / 255f, 1f);

        var angle = h[8] * MathF.Tau / 256f;
        _direction = new Vector2(MathF.Cos(angle), MathF.Sin(angle));
        for (var k = 0; k < BlobCount; k++)
        {
            var b = 9 + 3 * k;
            _blobCenters[k] = new Vector2(h[b] / 255f * 1.4f - 0.7f, h[b + 1] / 255f * 1.2f - 0.6f);
            var radius = 0.22f + 0.30f * h[b + 2] / 255f;
            _blobInverseRadiusSquared[k] = 1f / (radius * radius);
            _blobColors[k] = Hsv(hue + 60f * k + (k == 1 ? offset / 2 : 0), 0.5f + 0.1f * k, 0.85f + 0.05f * k);
        }
        _pattern = h[18] % 4;
        _frequency = 3f + h[19] % 7;
        _phase = h[20] * MathF.Tau / 256f;
        _patternCenter = new Vector2(h[21] / 255f - 0.5f, h[22] / 255f - 0.5f);
        _patternCenter2 = new Vector2(h[23] / 255f - 0.5f, h[24] / 255f - 0.5f);
        Motion = new Vector4(h[25] / 255f, h[26] / 255f, h[27] / 255f, h[28] / 255f);
    }

    /// <summary>Four numbers in 0–1, also from the prompt, for whatever moves over the picture.</summary>
    public Vector4 Motion { get; }

    /// <summary>A colour that stands out against the picture, for things drawn over it.</summary>
    public Vector3 Accent { get; }

    /// <summary>
    /// Renders the part <paramref name="region"/> of the picture of <paramref name="width"/>×<paramref name="height"/>
    /// into <paramref name="rgb"/> (8-bit R, G, B; row <c>y</c> at <c>y * stride</c>). The region may reach past the
    /// picture (the padding a video encoder needs); the picture simply continues there.
    /// </summary>
    public void Render(Span<byte> rgb, int stride, int width, int height, PixelRect region)
    {
        var scale = 1f / Math.Min(width, height);
        var halfWidth = width * 0.5f;
        var halfHeight = height * 0.5f;
        var waveArgument = _frequency * MathF.Tau;
        for (var y = region.Y; y < region.Bottom; y++)
        {
            var py = (y + 0.5f - halfHeight) * scale;
            var row = rgb.Slice(y * stride + region.X * 3, region.Width * 3);
            for (var i = 0; i < region.Width; i++)
            {
                var px = (region.X + i + 0.5f - halfWidth) * scale;
                var p = new Vector2(px, py);

                var t = Math.Clamp(0.5f + 0.65f * Vector2.Dot(p, _direction), 0f, 1f);
                t = t * t * (3f - 2f * t);
                var color = Vector3.Lerp(_dark, _light, t);

                for (var k = 0; k < BlobCount; k++)
                {
                    var d2 = Vector2.DistanceSquared(p, _blobCenters[k]) * _blobInverseRadiusSquared[k];
                    if (d2 < 1f)
                    {
                        var w = 1f - d2;
                        color = Vector3.Lerp(color, _blobColors[k], 0.55f * w * w);
                    }
                }

                var s = _pattern switch
                {
                    0 => MathF.Sin(waveArgument * Vector2.Distance(p, _patternCenter) + _phase),
                    1 => MathF.Sin(waveArgument * Vector2.Dot(p, _direction) + 1.3f * MathF.Sin(waveArgument * 0.5f * (p.Y * _direction.X - p.X * _direction.Y)) + _phase),
                    2 => 0.5f * (MathF.Sin(waveArgument * Vector2.Distance(p, _patternCenter)) + MathF.Sin(waveArgument * Vector2.Distance(p, _patternCenter2) + _phase)),
                    _ => MathF.Cos(waveArgument * (px + _patternCenter.X)) * MathF.Cos(waveArgument * (py + _patternCenter.Y)),
                };
                color *= (1f + 0.12f * s) * Math.Max(0f, 1f - 0.30f * p.LengthSquared());

                row[3 * i] = ToByte(color.X);
                row[3 * i + 1] = ToByte(color.Y);
                row[3 * i + 2] = ToByte(color.Z);
            }
        }
    }

    internal static byte ToByte(float value) => (byte)Math.Clamp((int)(value * 255f + 0.5f), 0, 255);

    /// <summary>HSV (hue in degrees, saturation and value 0–1) to linear-in-sRGB-code-values RGB 0–1.</summary>
    internal static Vector3 Hsv(float hue, float saturation, float value)
    {
        hue = ((hue % 360f) + 360f) % 360f / 60f;
        var c = value * saturation;
        var x = c * (1f - MathF.Abs(hue % 2f - 1f));
        var m = value - c;
        var rgb = (int)hue switch
        {
            0 => new Vector3(c, x, 0),
            1 => new Vector3(x, c, 0),
            2 => new Vector3(0, c, x),
            3 => new Vector3(0, x, c),
            4 => new Vector3(x, 0, c),
            _ => new Vector3(c, 0, x),
        };
        return rgb + new Vector3(m);
    }
}
