namespace Manifold.Host.Metering;

/// <summary>
/// One metered request or media job, as the request thread hands it to <see cref="UsageQueue"/>: a value, copied into the
/// queue, so metering allocates nothing of its own there. Cost is not in it: prices are applied when the batch is written.
/// </summary>
public readonly record struct UsageRecord
{
    /// <summary>When the request started (a job: when it finished), in unix milliseconds.</summary>
    public long Time { get; init; }

    public long LicenceId { get; init; }

    public string? Platform { get; init; }

    public string? AccountId { get; init; }

    public string? Model { get; init; }

    /// <summary>The caller's protocol (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>), or <see cref="UsageRecords.TaskProtocol"/> for a job.</summary>
    public string Protocol { get; init; }

    /// <summary>The operation id (<c>createChatCompletion</c>), or <see cref="UsageRecords.ImageJob"/>/<see cref="UsageRecords.VideoJob"/>.</summary>
    public string Operation { get; init; }

    /// <summary>The HTTP status; 499 when the client left first.</summary>
    public int Status { get; init; }

    /// <summary>The error's code (or type) when the answer was an error, a stream ended with one, or a job failed.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The id the client can quote (the protocol's request-id header), or a job's id.</summary>
    public string? RequestId { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long TotalTokens { get; init; }

    public int Images { get; init; }

    public double VideoSeconds { get; init; }

    public double LatencyMs { get; init; }

    /// <summary>Manifold's own time: <see cref="LatencyMs"/> less the time spent waiting on the upstream and on the client.</summary>
    public double OverheadMs { get; init; }

    public UsageSource Source { get; init; }

    /// <summary>Goes into the usage totals (a model's work on a platform), not only into the request log.</summary>
    public bool Billable { get; init; }

    /// <summary>Counts as a request in the totals; a job does not (the request that made it did).</summary>
    public bool CountsRequest { get; init; }

    /// <summary>Counted among the errors in the totals, and not against a quota's requests.</summary>
    public bool Failed { get; init; }
}

/// <summary>Where a record's token counts come from.</summary>
public enum UsageSource : byte
{
    /// <summary>No usage was reported (a model list, an error, a platform that reports none).</summary>
    None,

    /// <summary>As the upstream reported them.</summary>
    Reported,

    /// <summary>Estimated, for a stream the client abandoned before the upstream reported usage (see <see cref="RequestMeter"/>).</summary>
    Estimated,
}

/// <summary>The names records use for what is not an HTTP operation.</summary>
public static class UsageRecords
{
    public const string TaskProtocol = "task";
    public const string ImageJob = "imageJob";
    public const string VideoJob = "videoJob";

    public static string SourceName(UsageSource source) => source switch
    {
        UsageSource.Reported => "reported",
        UsageSource.Estimated => "estimated",
        _ => "none",
    };
}
