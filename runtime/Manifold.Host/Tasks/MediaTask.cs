namespace Manifold.Host.Tasks;

/// <summary>
/// One media job, as a row of the <c>media_tasks</c> table: who asked, which platform and account made it, the
/// upstream's id for it, where it stands, and where its results are kept. One model serves images, videos and the
/// unified task API; <see cref="Version"/> makes every transition a compare-and-set.
/// </summary>
public sealed record MediaTask
{
    /// <summary>Manifold's id (<see cref="MediaTaskIds"/>): stable, unguessable, lowercase alphanumeric after its prefix.</summary>
    public required string Id { get; init; }

    /// <summary><see cref="MediaKinds.Video"/> or <see cref="MediaKinds.Image"/>.</summary>
    public required string Kind { get; init; }

    public required string Platform { get; init; }

    /// <summary>The stable id of the account that submitted the job; polls and downloads use the same account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The upstream's own id (an OpenAI video id, a Gemini operation name); null until submitted.</summary>
    public string? UpstreamId { get; init; }

    public required string Model { get; init; }

    /// <summary>The licence that created the job; only it may see the job.</summary>
    public long? LicenceId { get; init; }

    public required string Status { get; init; }

    /// <summary>0 to 100.</summary>
    public int Progress { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When the stored results are deleted (retention); null while the job runs.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>The job's parameters as JSON (prompt, size, seconds, …), as answered back to clients and reused by a remix.</summary>
    public required string Parameters { get; init; }

    /// <summary>The stored results as JSON (<see cref="MediaResult"/> list); null until the job completes.</summary>
    public string? Results { get; init; }

    /// <summary>When the poller should next look at the job.</summary>
    public DateTimeOffset NextPollAt { get; init; }

    /// <summary>How many times the poller has looked; drives its back-off.</summary>
    public int PollCount { get; init; }

    /// <summary>Bumped by every update; an update names the version it read (compare-and-set).</summary>
    public long Version { get; init; }

    public bool IsTerminal => Status is MediaTaskStatus.Completed or MediaTaskStatus.Failed;
}

/// <summary>The lifecycle of a job; the names are OpenAI's Video statuses.</summary>
public static class MediaTaskStatus
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>What a job makes.</summary>
public static class MediaKinds
{
    public const string Video = "video";
    public const string Image = "image";
}
