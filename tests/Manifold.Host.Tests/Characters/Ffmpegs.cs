using System.Diagnostics;
using System.Globalization;

namespace Manifold.Host.Tests.Characters;

/// <summary>Real videos for the tests, made and measured with ffmpeg and ffprobe (installed by .ci/run, as the gateway needs them).</summary>
internal static class Ffmpegs
{
    /// <summary>An H.264 + AAC MP4 of <paramref name="seconds"/> seconds (a test pattern and a tone), with a keyframe only every 4 s.</summary>
    public static async Task<byte[]> Mp4Async(double seconds)
    {
        var path = Path.Combine(Path.GetTempPath(), "manifold-test-" + Guid.NewGuid().ToString("N") + ".mp4");
        try
        {
            var length = seconds.ToString(CultureInfo.InvariantCulture);
            await RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", $"testsrc=duration={length}:size=320x240:rate=24",
                "-f", "lavfi", "-i", $"sine=frequency=440:duration={length}", "-c:v", "libx264", "-g", "96", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", "-y", path]);
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A video's duration in seconds, as ffprobe reads its container.</summary>
    public static async Task<double> DurationAsync(string path) =>
        double.Parse((await RunAsync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", path])).Trim(), CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(string executable, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(executable, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{executable} did not start; install ffmpeg (.ci/run does).");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{executable} failed: {await errors}");
        return await output;
    }
}
