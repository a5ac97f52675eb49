using System.Text.Json.Serialization;

namespace Manifold.Host.Metering;

/// <summary>A line of <c>GET /admin/api/usage</c>: one licence's use of one model on one platform over the range (or one day/hour of it).</summary>
public sealed record UsageRow(
    [property: JsonPropertyName("licence_id")] long LicenceId,
    [property: JsonPropertyName("licence_name")] string? LicenceName,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    [property: JsonPropertyName("images")] long Images,
    [property: JsonPropertyName("video_seconds")] double VideoSeconds,
    [property: JsonPropertyName("cost")] double Cost)
{
    /// <summary>With <c>group_by=day</c> or <c>hour</c>: the period's start (UTC); absent otherwise.</summary>
    [JsonPropertyName("period")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Period { get; init; }
}

/// <summary>One request of the log (<c>GET /admin/api/requests</c>), or one media job.</summary>
public sealed record LoggedRequest(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("licence_id")] long LicenceId,
    [property: JsonPropertyName("platform")] string? Platform,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("error_code")] string? ErrorCode,
    [property: JsonPropertyName("request_id")] string? RequestId,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    [property: JsonPropertyName("images")] long Images,
    [property: JsonPropertyName("video_seconds")] double VideoSeconds,
    [property: JsonPropertyName("cost")] double Cost,
    [property: JsonPropertyName("usage_source")] string UsageSource,
    [property: JsonPropertyName("latency_ms")] double LatencyMs,
    [property: JsonPropertyName("overhead_ms")] double OverheadMs);

/// <summary>What <c>GET /admin/api/usage</c> sums: all filters optional; <see cref="To"/> is exclusive.</summary>
public sealed record UsageFilter(long? LicenceId, string? Platform, string? Model, DateTimeOffset? From, DateTimeOffset? To, string? GroupBy);

/// <summary>What <c>GET /admin/api/requests</c> selects; <see cref="Status"/> is a code, a class (<c>4xx</c>) or <c>error</c>.</summary>
public sealed record RequestFilter(
    long? LicenceId, string? Platform, string? Model, string? AccountId, string? Operation, string? Status, string? RequestId, DateTimeOffset? From,
    DateTimeOffset? To, long? After, int Limit);
