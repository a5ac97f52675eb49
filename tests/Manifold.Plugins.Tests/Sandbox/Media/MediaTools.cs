using System.Diagnostics;
using System.Text.Json;

namespace Manifold.Plugins.Tests.Sandbox.Media;

/// <summary>
/// ffprobe and ffmpeg, the independent judges of the sandbox's media. They are required, not optional: a test that
/// needs them fails (never skips) when they are missing, saying how to install them. CI installs them in .ci/run.
/// </summary>
internal static class MediaTools
{
    public static string Require(string tool)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        Assert.Fail($"'{tool}' was not found on PATH. The sandbox media tests check every file with FFmpeg's tools: install them "
            + "(Debian/Ubuntu: `apt-get update && apt-get install -y ffmpeg`; .ci/run does this on CI).");
        throw new UnreachableException();
    }

    public static (int ExitCode, byte[] Stdout, string Stderr) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Require(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish in two minutes.");
        }
        return (process.ExitCode, stdout.ToArray(), stderr.GetAwaiter().GetResult());
    }

    /// <summary><c>ffprobe -show_streams -show_format</c> as JSON, after asserting ffprobe accepted the file without a word.</summary>
    public static JsonElement Probe(string path, params string[] extra)
    {
        var (exit, stdout, stderr) = Run("ffprobe", [.. extra, "-v", "error", "-show_streams", "-show_format", "-of", "json", path]);
        Assert.True(exit == 0 && stderr.Length == 0, $"ffprobe rejected {path} (exit {exit}): {stderr}");
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    /// <summary>The single stream ffprobe sees in <paramref name="path"/>.</summary>
    public static JsonElement ProbeOnlyStream(string path, params string[] extra)
    {
        var probe = Probe(path, extra);
        var streams = probe.GetProperty("streams");
        Assert.Equal(1, streams.GetArrayLength());
        return streams[0];
    }

    /// <summary>Decodes every frame with ffmpeg (<c>-f null</c>) and asserts a clean exit with nothing on stderr.</summary>
    public static void AssertDecodesCleanly(string path)
    {
        var (exit, _, stderr) = Run("ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-");
        Assert.True(exit == 0 && stderr.Length == 0, $"ffmpeg could not decode {path} cleanly (exit {exit}): {stderr}");
    }

    /// <summary>Decodes <paramref name="path"/> to raw frames in <paramref name="pixelFormat"/> (e.g. yuv420p, rgb24).</summary>
    public static byte[] DecodeRaw(string path, string pixelFormat, params string[] outputOptions)
    {
        var (exit, stdout, stderr) = Run("ffmpeg", ["-nostdin", "-v", "error", "-i", path, .. outputOptions, "-f", "rawvideo", "-pix_fmt", pixelFormat, "-"]);
        Assert.True(exit == 0 && stderr.Length == 0, $"ffmpeg could not decode {path} to {pixelFormat} (exit {exit}): {stderr}");
        return stdout;
    }
}

/// <summary>A folder for one test's files, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("manifold-media-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
