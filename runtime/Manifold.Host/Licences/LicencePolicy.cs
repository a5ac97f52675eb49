using System.Text.Json.Serialization;

namespace Manifold.Host.Licences;

/// <summary>
/// What a licence may do: which models (exact names, or <c>prefix*</c>), platforms and account groups, until when, how much in all
/// (<see cref="Quota"/>) and how fast (<see cref="Limits"/>). An absent list allows everything; an empty one nothing.
/// Kept as JSON in the licence's row and cached with it, so checking it on a request costs no database access.
/// </summary>
public sealed record LicencePolicy
{
    public static LicencePolicy Unrestricted { get; } = new();

    [JsonPropertyName("models")] public IReadOnlyList<string>? Models { get; init; }

    [JsonPropertyName("platforms")] public IReadOnlyList<string>? Platforms { get; init; }

    /// <summary>The account groups its requests may be served by (see the account pool); null for every group.</summary>
    [JsonPropertyName("groups")] public IReadOnlyList<string>? Groups { get; init; }

    [JsonPropertyName("expires_at")] public DateTimeOffset? ExpiresAt { get; init; }

    [JsonPropertyName("quota")] public LicenceQuota? Quota { get; init; }

    [JsonPropertyName("limits")] public LicenceLimits? Limits { get; init; }

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    public bool AllowsPlatform(string platform) => Platforms is not { } platforms || platforms.Contains(platform, StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="model"/> is one the licence may use: listed exactly, or under a listed <c>prefix*</c>. A
    /// request without a model (a model list, a job read by id) is not refused for it.
    /// </summary>
    public bool AllowsModel(string? model)
    {
        if (Models is not { } models || string.IsNullOrEmpty(model))
        {
            return true;
        }
        foreach (var allowed in models)
        {
            if (allowed.EndsWith('*') ? model.StartsWith(allowed.AsSpan(0, allowed.Length - 1), StringComparison.Ordinal) : allowed == model)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>What a licence may spend in all; null fields are unlimited.</summary>
public sealed record LicenceQuota(
    [property: JsonPropertyName("requests")] long? Requests = null,
    [property: JsonPropertyName("tokens")] long? Tokens = null,
    [property: JsonPropertyName("cost")] decimal? Cost = null);

/// <summary>How fast a licence may go; null fields are unlimited.</summary>
public sealed record LicenceLimits(
    [property: JsonPropertyName("rpm")] int? Rpm = null,
    [property: JsonPropertyName("tpm")] long? Tpm = null,
    [property: JsonPropertyName("concurrency")] int? Concurrency = null);
