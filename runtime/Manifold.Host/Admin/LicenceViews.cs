using System.Text.Json.Serialization;
using Manifold.Host.Licences;

namespace Manifold.Host.Admin;

/// <summary>A licence as the admin API shows it: never its key or its hash, only the prefix that tells keys apart.</summary>
public record LicenceView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("key_prefix")] string KeyPrefix,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("models")] IReadOnlyList<string>? Models,
    [property: JsonPropertyName("platforms")] IReadOnlyList<string>? Platforms,
    [property: JsonPropertyName("groups")] IReadOnlyList<string>? Groups,
    [property: JsonPropertyName("quota")] LicenceQuota? Quota,
    [property: JsonPropertyName("limits")] LicenceLimits? Limits)
{
    public static LicenceView From(Licence licence, DateTimeOffset now) => new(
        licence.Id,
        "licence",
        licence.Name,
        licence.KeyPrefix,
        licence.IsRevoked ? "revoked" : licence.Policy.IsExpired(now) ? "expired" : "active",
        licence.CreatedAt,
        licence.RevokedAt,
        licence.Policy.ExpiresAt,
        licence.Policy.Models,
        licence.Policy.Platforms,
        licence.Policy.Groups,
        licence.Policy.Quota,
        licence.Policy.Limits);
}

/// <summary>A licence just created, with its key: the only answer that ever holds it.</summary>
public sealed record CreatedLicenceView(
    [property: JsonPropertyName("key")] string Key,
    LicenceView Licence)
{
    // Flattened: the client reads one object, the licence's fields beside its key.
    [JsonIgnore] public LicenceView Licence { get; } = Licence;

    [JsonPropertyName("id")] public long Id => Licence.Id;
    [JsonPropertyName("object")] public string Object => Licence.Object;
    [JsonPropertyName("name")] public string Name => Licence.Name;
    [JsonPropertyName("key_prefix")] public string KeyPrefix => Licence.KeyPrefix;
    [JsonPropertyName("status")] public string Status => Licence.Status;
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt => Licence.CreatedAt;
    [JsonPropertyName("expires_at")] public DateTimeOffset? ExpiresAt => Licence.ExpiresAt;
    [JsonPropertyName("models")] public IReadOnlyList<string>? Models => Licence.Models;
    [JsonPropertyName("platforms")] public IReadOnlyList<string>? Platforms => Licence.Platforms;
    [JsonPropertyName("groups")] public IReadOnlyList<string>? Groups => Licence.Groups;
    [JsonPropertyName("quota")] public LicenceQuota? Quota => Licence.Quota;
    [JsonPropertyName("limits")] public LicenceLimits? Limits => Licence.Limits;

    // The key must never reach a log through a formatted record.
    public override string ToString() => $"CreatedLicenceView {{ Id = {Id}, KeyPrefix = {KeyPrefix}… (redacted) }}";
}

/// <summary><c>{"object": "list", "data": [...]}</c>.</summary>
public sealed record AdminList<T>(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<T> Data);
