using Manifold.Host.Media;
namespace Manifold.Host.Tasks;

/// <summary>How media jobs are followed, bound from <c>Manifold:Tasks</c>.</summary>
public sealed class MediaTaskOptions
{
    public const string SectionName = "Manifold:Tasks";

    /// <summary>How often a running job is polled at first; a job that runs long is polled less often (up to 8×).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A job still unfinished this long after it was made fails with a clear reason.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long a node holds a due job it took (<see cref="ITaskStore.ClaimDueAsync"/>) before any node may take it again: one
    /// poll at a time per job across nodes, and a killed node's jobs are picked up this long after it took them. Longer than a
    /// poll and a collection take; a job a node is still working on past it may be polled twice, and only one outcome is written.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many due jobs the poller works on at once.</summary>
    public int Concurrency { get; set; } = 8;
}

/// <summary>Where results are kept and for how long, bound from <c>Manifold:Media</c>.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Manifold:Media";

    /// <summary>Where results are kept: <c>local</c> (the folder <see cref="Path"/>) or <c>s3</c> (the bucket <see cref="S3"/>).</summary>
    public string Storage { get; set; } = "local";

    /// <summary>The folder for job results; a relative path is under the data folder (<c>Manifold__DataPath</c>).</summary>
    public string Path { get; set; } = "media";

    /// <summary>The bucket, with <see cref="Storage"/> <c>s3</c>.</summary>
    public S3MediaOptions S3 { get; set; } = new();

    /// <summary>How long finished results are kept (a job's <c>expires_at</c>); then its files are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a signed link to a stored result (an image's <c>url</c>) works; OpenAI's image URLs last an hour.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The secret links are signed with; several nodes must share one. Without it, one is generated beside the media folder.</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// How long a non-streaming chat request for a media model waits for its job; past it, the answer names the task to
    /// poll instead (the job goes on).
    /// </summary>
    public TimeSpan ChatWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
