using System.Text.Json.Serialization;

namespace Manifold.Host.Webhooks;

/// <summary>The seeds' webhook body: <c>{"topic": "user_quota_too_low", "data": {"quota": 0.5, …}}</c>.</summary>
public sealed record WebhookEvent(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("data")] object Data);

/// <summary>
/// <c>user_quota_too_low</c>'s data. <see cref="Quota"/> is what is left (the seeds' field), in the unit of
/// <see cref="Kind"/>; the rest says which licence and which of its quotas.
/// </summary>
public sealed record QuotaLowData(
    [property: JsonPropertyName("quota")] double Quota,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("limit")] double Limit,
    [property: JsonPropertyName("used")] double Used,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("licence_id")] long LicenceId,
    [property: JsonPropertyName("licence_name")] string? LicenceName);
