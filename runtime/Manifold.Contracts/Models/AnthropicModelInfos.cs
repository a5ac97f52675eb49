using System.Globalization;

namespace Manifold.Contracts.Anthropic;

/// <summary>
/// How Anthropic's models API describes a model: <c>{type: model, id, display_name, created_at, lifecycle, …}</c>, times in RFC 3339.
/// Shared by the claude plugin (reading its upstream) and the host (lists for Anthropic clients from platforms that know a
/// model only by its id and creation time).
/// </summary>
public static class AnthropicModelInfos
{
    /// <summary>
    /// A model known by its id and creation time (Unix seconds; 0 when unknown), as Anthropic's ModelInfo. Its display name
    /// is its id; the creation time is the Unix epoch when unknown, as Anthropic's API documents for such models.
    /// </summary>
    public static ModelInfo Describe(string id, long createdUnixSeconds) => new()
    {
        Id = id,
        DisplayName = id,
        CreatedAt = CreatedAt(createdUnixSeconds),
        Lifecycle = ModelInfoLifecycleValues.Active,
    };

    /// <summary>
    /// An upstream's ModelInfo with the lifecycle Anthropic's types require: an older API (or a compatible server) that
    /// does not say is serving the model, so it is active. The other newer fields are nullable and written as null.
    /// </summary>
    public static ModelInfo Complete(ModelInfo model)
    {
        if (string.IsNullOrEmpty(model.Lifecycle))
        {
            model.Lifecycle = ModelInfoLifecycleValues.Active;
        }
        return model;
    }

    /// <summary>Unix seconds as RFC 3339 in UTC, as Anthropic writes it: <c>2025-02-19T00:00:00Z</c>.</summary>
    public static string CreatedAt(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(unixSeconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()))
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An RFC 3339 time as Unix seconds; 0 when it is missing or not a time.</summary>
    public static long UnixSeconds(string? createdAt) =>
        DateTimeOffset.TryParse(createdAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when.ToUnixTimeSeconds() : 0;
}
