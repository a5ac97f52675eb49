using System.Globalization;
using Manifold.Contracts;

namespace Manifold.Host.Characters;

/// <summary>
/// The seeds' <c>timestamps</c>: <c>"start,end"</c> in seconds of the source (<c>"1,3"</c>, decimals allowed), a clip 1 to 3
/// seconds long that starts before it ends. Every refusal is the caller's 400 naming <c>timestamps</c>.
/// </summary>
public readonly record struct ClipTimestamps(double Start, double End)
{
    public const double MinLength = 1;
    public const double MaxLength = 3;

    public double Length => End - Start;

    public static ClipTimestamps Parse(string? text)
    {
        var parts = (text ?? "").Split(',');
        if (parts.Length != 2 || !TryReadSeconds(parts[0], out var start) || !TryReadSeconds(parts[1], out var end))
        {
            throw Invalid($"'timestamps' must be \"start,end\" in seconds of the video, such as \"1,3\"; '{text}' is not.");
        }
        if (start >= end)
        {
            throw Invalid($"'timestamps' must start before it ends; '{text}' does not.");
        }
        var length = end - start;
        if (length < MinLength || length > MaxLength)
        {
            throw Invalid($"'timestamps' must name a clip 1 to 3 seconds long; '{text}' is {length.ToString("0.###", CultureInfo.InvariantCulture)} seconds.");
        }
        return new ClipTimestamps(start, end);
    }

    /// <summary>The clip must lie within the source, whose length is known once it is read.</summary>
    public void CheckWithin(double duration)
    {
        if (End > duration + 0.001)
        {
            throw Invalid($"'timestamps' ends at {End.ToString("0.###", CultureInfo.InvariantCulture)} s, after the end of the video ({duration.ToString("0.###", CultureInfo.InvariantCulture)} s).");
        }
    }

    public override string ToString() => Start.ToString(CultureInfo.InvariantCulture) + "," + End.ToString(CultureInfo.InvariantCulture);

    private static bool TryReadSeconds(string text, out double seconds) =>
        double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds) && double.IsFinite(seconds);

    private static ManifoldException Invalid(string message) => new(400, "invalid_request_error", message, "timestamps", "invalid_value");
}
