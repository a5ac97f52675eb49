namespace Manifold.Host.Characters;

/// <summary>How Manifold cuts the seeds' character clips (<c>Manifold__Characters__*</c>).</summary>
public sealed class CharacterOptions
{
    public const string SectionName = "Manifold:Characters";

    /// <summary>The ffmpeg executable (a name on PATH or a path); Debian's <c>ffmpeg</c> package brings it and ffprobe.</summary>
    public string Ffmpeg { get; set; } = "ffmpeg";

    /// <summary>The ffprobe executable, which reads the source's duration.</summary>
    public string Ffprobe { get; set; } = "ffprobe";

    /// <summary>How long one ffprobe or ffmpeg run may take before it is killed and the request is answered 504.</summary>
    public TimeSpan CutTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The largest source video Manifold fetches from a URL or reads from a job; larger is the caller's 400.</summary>
    public long MaxSourceBytes { get; set; } = 256L * 1024 * 1024;
}
