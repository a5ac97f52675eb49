using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Manifold.Contracts;

namespace Manifold.Host.Characters;

/// <summary>
/// ffprobe and ffmpeg as processes (Debian's <c>ffmpeg</c> package): arguments as a list (never a shell), no stdin, stderr
/// kept (capped) for the error, each run killed, whole tree, after <see cref="CharacterOptions.CutTimeout"/>. Missing
/// executables are the caller's 503 naming the cause, so an operator sees what to install.
/// </summary>
public sealed class Ffmpeg(CharacterOptions options)
{
    /// <summary>The source's duration in seconds, as its container says.</summary>
    public async Task<double> DurationAsync(string path, CancellationToken cancellationToken)
    {
        var output = await RunAsync(options.Ffprobe, ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", path], cancellationToken).ConfigureAwait(false);
        if (!double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds) || seconds <= 0)
        {
            throw new ManifoldException(400, "invalid_request_error", "The video could not be read: it is not a video ffprobe knows, or it has no duration.", code: "invalid_video");
        }
        return seconds;
    }

    /// <summary>
    /// Cuts <paramref name="clip"/> out of <paramref name="source"/> into an MP4 at <paramref name="target"/>. Re-encoded
    /// (H.264 and AAC), not stream-copied: a copy can only start at a keyframe, and generated videos have a keyframe every
    /// few seconds, so a copied clip would start early and run long. <c>-ss</c> before <c>-i</c> seeks fast and, re-encoding,
    /// exactly.
    /// </summary>
    public Task CutAsync(string source, ClipTimestamps clip, string target, CancellationToken cancellationToken) =>
        RunAsync(options.Ffmpeg,
        [
            "-nostdin", "-v", "error", "-y",
            "-ss", clip.Start.ToString("0.###", CultureInfo.InvariantCulture), "-i", source,
            "-t", clip.Length.ToString("0.###", CultureInfo.InvariantCulture),
            "-map", "0:v:0", "-map", "0:a:0?",
            // libx264 needs even dimensions; yuv420p is what every player and upstream reads.
            "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-movflags", "+faststart", "-f", "mp4", target,
        ], cancellationToken);

    /// <summary>The clip's first frame as a JPEG at <paramref name="target"/>: the seeds' profile picture of a character.</summary>
    public Task FrameAsync(string clip, string target, CancellationToken cancellationToken) =>
        RunAsync(options.Ffmpeg, ["-nostdin", "-v", "error", "-y", "-i", clip, "-frames:v", "1", "-q:v", "3", "-f", "image2", target], cancellationToken);

    private async Task<string> RunAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{executable} did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new ManifoldException(503, "server_error",
                $"Cutting a character clip needs {Path.GetFileName(executable)}, which this gateway cannot run ({ex.Message}). The operator installs ffmpeg (Debian: apt-get install ffmpeg) or sets Manifold__Characters__Ffmpeg and __Ffprobe.",
                code: "ffmpeg_unavailable");
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.CutTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = ReadCappedAsync(process.StandardError, timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                var (output, errors) = (await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
                foreach (var path in arguments.Where(Path.IsPathFullyQualified))
                {
                    // Where the gateway keeps its temporary files is its own business.
                    errors = errors.Replace(path, "the video", StringComparison.Ordinal);
                }
                if (process.ExitCode != 0)
                {
                    // The source is the caller's (a URL, a job): ffmpeg refusing it is a bad video, not a broken gateway.
                    throw new ManifoldException(400, "invalid_request_error",
                        $"The video could not be cut: {Path.GetFileName(executable)} said: {FirstLine(errors)}", code: "invalid_video");
                }
                return output;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                throw new ManifoldException(504, "server_error",
                    $"Cutting the clip took longer than {options.CutTimeout.TotalSeconds:0} seconds (Manifold__Characters__CutTimeout).", code: "clip_timeout");
            }
        }
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        // Keep the first few KiB for the message; read the rest to the end so the process never blocks on a full pipe.
        var kept = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (kept.Length < 4096)
            {
                kept.Append(buffer, 0, Math.Min(read, 4096 - kept.Length));
            }
        }
        return kept.ToString();
    }

    private static string FirstLine(string text)
    {
        var line = text.Trim().Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "(nothing)" : line;
    }
}
