using System.Globalization;

namespace Manifold.Host.MediaChat;

/// <summary>Which way a picture or video is to face; <see cref="Default"/> leaves it to the platform.</summary>
public enum MediaOrientation
{
    Default,
    Portrait,
    Landscape,
}

/// <summary>
/// What a media model's name asks for: <c>&lt;model&gt;[-portrait|-landscape][-hd][-&lt;seconds&gt;s]</c> (the options in any
/// order), so <c>sora-2-landscape-8s</c> is <c>sora-2</c>, landscape, 8 seconds. The seeds' aliases are read here too
/// (<c>sora_video2-portrait-hd-15s</c>, <c>sora-video-landscape-10s</c>, <c>sora-image-portrait</c>): <see cref="Model"/> is
/// the model a platform serves. One parser, so the chat door and every other reads a name the same way.
/// </summary>
public sealed record MediaModelName(string Model, MediaOrientation Orientation, bool Hd, double? Seconds)
{
    // The seeds' model names (sora2api and the Chinese gateways' docs), as the models platforms actually serve.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sora_video2"] = "sora-2",
        ["sora_video2-pro"] = "sora-2-pro",
        ["sora-video"] = "sora-2",
        ["sora-video-pro"] = "sora-2-pro",
        ["sora-image"] = "gpt-image-1",
    };

    /// <summary>True when the name carried an option (or was an alias): then <see cref="Model"/> differs from what was asked.</summary>
    public bool HasOptions => Orientation != MediaOrientation.Default || Hd || Seconds is not null;

    /// <summary>Reads <paramref name="model"/>; a name without options is itself, with nothing asked.</summary>
    public static MediaModelName Parse(string model)
    {
        var orientation = MediaOrientation.Default;
        var hd = false;
        double? seconds = null;
        var rest = model;
        while (rest.LastIndexOf('-') is var dash and > 0)
        {
            var token = rest.AsSpan(dash + 1);
            if (orientation == MediaOrientation.Default && token.Equals("portrait", StringComparison.OrdinalIgnoreCase))
            {
                orientation = MediaOrientation.Portrait;
            }
            else if (orientation == MediaOrientation.Default && token.Equals("landscape", StringComparison.OrdinalIgnoreCase))
            {
                orientation = MediaOrientation.Landscape;
            }
            else if (!hd && token.Equals("hd", StringComparison.OrdinalIgnoreCase))
            {
                hd = true;
            }
            else if (seconds is null && TryReadSeconds(token, out var value))
            {
                seconds = value;
            }
            else
            {
                break;
            }
            rest = rest[..dash];
        }
        return new MediaModelName(Aliases.GetValueOrDefault(rest, rest), orientation, hd, seconds);
    }

    /// <summary>A length as the seeds write it: <c>10s</c>, <c>7.5s</c>, <c>15秒</c>, <c>7.5sec</c>; positive and at most an hour.</summary>
    public static bool TryReadSeconds(ReadOnlySpan<char> token, out double seconds)
    {
        seconds = 0;
        var number = token.EndsWith("sec", StringComparison.OrdinalIgnoreCase) ? token[..^3]
            : token.EndsWith("s", StringComparison.OrdinalIgnoreCase) || token.EndsWith("秒", StringComparison.Ordinal) ? token[..^1]
            : [];
        return number.Length > 0 && char.IsAsciiDigit(number[0])
            && double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds)
            && seconds > 0 && seconds <= 3600;
    }
}
