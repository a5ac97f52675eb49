using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Sandbox.Media;

namespace Manifold.Plugins.Sandbox;

/// <summary>
/// The sandbox as a Videos API upstream: a job runs for <see cref="JobDuration"/> of visible progress, then its video
/// is a real, playable MP4 rendered here. Stateless: the job's id carries its creation time, length, size and the
/// prompt's fingerprint, so a job outlives a restart of the gateway without the sandbox keeping anything.
/// </summary>
internal sealed partial class SandboxPlatform : IVideosAdapter
{
    private const string JobPrefix = "sandboxvideo_";
    private static readonly string[] Sizes = ["720x1280", "1280x720", "1024x1792", "1792x1024"];
    private static readonly string[] Lengths = ["4", "8", "12"];

    /// <summary>How long a sandbox video job runs before it completes.</summary>
    public TimeSpan JobDuration { get; init; } = TimeSpan.FromSeconds(8);

    public Task<Video> CreateVideoAsync(CreateVideoRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        var size = request.Size ?? "720x1280";
        var seconds = request.Seconds ?? "4";
        if (!Sizes.Contains(size))
        {
            throw new UpstreamException(400, "invalid_request_error", $"Invalid value: '{size}'. Supported values are: {string.Join(", ", Sizes.Select(static s => $"'{s}'"))}.", "size", "invalid_value");
        }
        if (!Lengths.Contains(seconds))
        {
            throw new UpstreamException(400, "invalid_request_error", $"Invalid value: '{seconds}'. Supported values are: '4', '8', and '12'.", "seconds", "invalid_value");
        }
        CheckCharacters(request);
        var job = new Job(time.GetUtcNow().ToUnixTimeMilliseconds(), int.Parse(seconds, CultureInfo.InvariantCulture), size, Fingerprint(request.Prompt), null);
        return Task.FromResult(Describe(job, request.Model ?? "sandbox-video", request.Prompt));
    }

    public Task<Video> RetrieveVideoAsync(string videoId, bool detail, AdapterContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Describe(Parse(videoId), "sandbox-video", prompt: null));

    public Task<VideoList> ListVideosAsync(long limit, string order, string? after, AdapterContext context, CancellationToken cancellationToken) =>
        // The sandbox keeps no jobs (their ids carry them), so it has none to list; Manifold lists its own.
        Task.FromResult(new VideoList { Data = [], HasMore = false });

    public Task<DeletedVideo> DeleteVideoAsync(string videoId, AdapterContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new DeletedVideo { Id = Parse(videoId).Id, Deleted = true });

    public Task<BinaryContent> RetrieveVideoContentAsync(string videoId, string variant, AdapterContext context, CancellationToken cancellationToken)
    {
        var job = Parse(videoId);
        if (Progress(job) < 100)
        {
            throw new UpstreamException(404, "invalid_request_error", $"Video '{videoId}' is not ready yet.", "video_id");
        }
        var (width, height) = Dimensions(job.Size);
        switch (variant)
        {
            case "thumbnail":
                return Task.FromResult(Bytes(SandboxMedia.RenderVideoThumbnailWebp(job.Seed, width, height, job.Seconds), SandboxMedia.WebpMediaType));
            case "spritesheet":
                return Task.FromResult(Bytes(SandboxMedia.RenderVideoSpritesheetJpeg(job.Seed, width, height, job.Seconds), SandboxMedia.JpegMediaType));
            default:
                // Rendered into a pipe as it is read: a video is never held whole in memory.
                var video = SandboxMedia.CreateVideo(job.Seed, width, height, job.Seconds);
                var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
                _ = Task.Run(async () =>
                {
                    await using var writer = pipe.Writer.AsStream();
                    try
                    {
                        await video.WriteToAsync(writer, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or InvalidOperationException)
                    {
                        // The reader went away: nothing is waiting for the rest.
                    }
                }, CancellationToken.None);
                return Task.FromResult(new BinaryContent(pipe.Reader.AsStream(), SandboxMedia.Mp4MediaType, video.Length));
        }
    }

    public Task<Video> RemixVideoAsync(string videoId, RemixVideoRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var source = Parse(videoId);
        if (Progress(source) < 100)
        {
            throw new UpstreamException(400, "invalid_request_error", $"Video '{videoId}' is not completed; only a completed video can be remixed.", "video_id");
        }
        var job = source with { CreatedMs = time.GetUtcNow().ToUnixTimeMilliseconds(), Seed = Fingerprint(source.Seed + "\n" + request.Prompt), RemixOf = source.Id };
        return Task.FromResult(Describe(job, "sandbox-video", request.Prompt));
    }

    private Video Describe(Job job, string model, string? prompt)
    {
        var progress = Progress(job);
        return new Video
        {
            Id = job.Id,
            Model = model,
            Status = progress >= 100 ? "completed" : progress < 10 ? "queued" : "in_progress",
            Progress = Math.Min(progress, 100),
            CreatedAt = job.CreatedMs / 1000,
            CompletedAt = progress >= 100 ? (job.CreatedMs + (long)JobDuration.TotalMilliseconds) / 1000 : null,
            Prompt = prompt,
            Size = job.Size,
            Seconds = job.Seconds.ToString(CultureInfo.InvariantCulture),
            RemixedFromVideoId = job.RemixOf,
        };
    }

    private int Progress(Job job)
    {
        var elapsed = time.GetUtcNow().ToUnixTimeMilliseconds() - job.CreatedMs;
        return (int)Math.Clamp(elapsed * 100 / Math.Max(1, (long)JobDuration.TotalMilliseconds), 0, 100);
    }

    private static BinaryContent Bytes(byte[] bytes, string mediaType) => new(new MemoryStream(bytes, writable: false), mediaType, bytes.Length);

    private static string Fingerprint(string? text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text ?? string.Empty)).AsSpan(0, 8));

    private static (int Width, int Height) Dimensions(string size)
    {
        var x = size.IndexOf('x', StringComparison.Ordinal);
        return (int.Parse(size.AsSpan(0, x), CultureInfo.InvariantCulture), int.Parse(size.AsSpan(x + 1), CultureInfo.InvariantCulture));
    }

    private static Job Parse(string id)
    {
        // sandboxvideo_{created ms}_{seconds}_{size}_{seed}[_{remix-of}]: everything the job is, in its id.
        var parts = id.StartsWith(JobPrefix, StringComparison.Ordinal) ? id[JobPrefix.Length..].Split('_', 4) : [];
        if (parts.Length == 4 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var created) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var seconds)
            && Sizes.Contains(parts[2]))
        {
            var rest = parts[3].Split('_', 2);
            return new Job(created, seconds, parts[2], rest[0], rest.Length == 2 ? JobPrefix + rest[1] : null);
        }
        throw new UpstreamException(404, "invalid_request_error", $"No video with id '{id}' exists.", "video_id");
    }

    private sealed record Job(long CreatedMs, int Seconds, string Size, string Seed, string? RemixOf)
    {
        public string Id => JobPrefix + string.Create(CultureInfo.InvariantCulture, $"{CreatedMs}_{Seconds}_{Size}_{Seed}")
            + (RemixOf is null ? string.Empty : "_" + RemixOf[JobPrefix.Length..]);
    }
}
