using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Host.Accounts;

namespace Manifold.Host.Admin;

/// <summary>
/// Reads the bodies of <c>POST /admin/api/platforms/{name}/accounts</c> and <c>PATCH …/accounts/{id}</c>: the fields present
/// replace the account's, checked as they are read. An error names the field.
/// </summary>
internal static class AccountRequests
{
    private const int MaxKeyLength = 4096;
    private const int MaxNameLength = 200;

    private static readonly HashSet<string> Fields = ["key", "name", "weight", "priority", "group", "max_concurrency", "enabled"];

    // What the admin API shows but nobody sets: named, so a GET sent back as a PATCH is told why.
    private static readonly HashSet<string> ReadOnly = ["id", "object", "platform", "source", "masked_key", "health", "created_at", "updated_at"];

    /// <summary>The new key (null when absent) and the settings that result from applying <paramref name="body"/> to <paramref name="current"/>.</summary>
    public static (string? Key, AccountSettings Settings) Apply(JsonObject body, AccountSettings current)
    {
        foreach (var field in body)
        {
            if (ReadOnly.Contains(field.Key))
            {
                throw new LicenceRequests.InvalidField(field.Key, $"'{field.Key}' is read-only; an account's settable fields are {string.Join(", ", Fields)}.");
            }
            if (!Fields.Contains(field.Key))
            {
                throw new LicenceRequests.InvalidField(field.Key, $"Unknown field '{field.Key}'. An account has {string.Join(", ", Fields)}.");
            }
        }
        string? key = null;
        if (body.TryGetPropertyValue("key", out var keyNode))
        {
            key = Text(keyNode) is { } text && text.Trim() is { Length: > 0 and <= MaxKeyLength } trimmed && !trimmed.Any(static c => char.IsControl(c) || char.IsWhiteSpace(c))
                ? trimmed
                : throw new LicenceRequests.InvalidField("key", $"'key' must be the upstream's key: a string of 1 to {MaxKeyLength} characters without spaces or control characters.");
        }
        var settings = current;
        if (body.TryGetPropertyValue("name", out var name))
        {
            settings = settings with
            {
                Name = name is null ? null
                    : Text(name) is { } text && text.Trim().Length <= MaxNameLength ? (text.Trim() is { Length: > 0 } trimmed ? trimmed : null)
                    : throw new LicenceRequests.InvalidField("name", $"'name' must be a string of at most {MaxNameLength} characters, or null."),
            };
        }
        if (body.TryGetPropertyValue("weight", out var weight))
        {
            settings = settings with
            {
                Weight = Integer(weight) is { } value and >= 1 and <= AccountSettings.MaxWeight ? (int)value
                    : throw new LicenceRequests.InvalidField("weight", $"'weight' must be a whole number from 1 to {AccountSettings.MaxWeight}: the account's share among accounts of its priority."),
            };
        }
        if (body.TryGetPropertyValue("priority", out var priority))
        {
            settings = settings with
            {
                Priority = Integer(priority) is { } value and >= int.MinValue and <= int.MaxValue ? (int)value
                    : throw new LicenceRequests.InvalidField("priority", "'priority' must be a whole number; lower is tried first."),
            };
        }
        if (body.TryGetPropertyValue("group", out var group))
        {
            settings = settings with
            {
                Group = group is null ? AccountSettings.DefaultGroup
                    : Text(group) is { } text && AccountGroups.IsName(text.Trim()) ? text.Trim()
                    : throw new LicenceRequests.InvalidField("group", $"'group' must be an account group name ({AccountGroups.NameRule}), or null for '{AccountSettings.DefaultGroup}'."),
            };
        }
        if (body.TryGetPropertyValue("max_concurrency", out var concurrency))
        {
            settings = settings with
            {
                MaxConcurrency = concurrency is null ? null
                    : Integer(concurrency) is { } value and >= 1 and <= int.MaxValue ? (int)value
                    : throw new LicenceRequests.InvalidField("max_concurrency", "'max_concurrency' must be a whole number of at least 1, or null for no limit."),
            };
        }
        if (body.TryGetPropertyValue("enabled", out var enabled))
        {
            settings = settings with
            {
                Enabled = enabled is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? flag.GetValue<bool>()
                    : throw new LicenceRequests.InvalidField("enabled", "'enabled' must be true or false."),
            };
        }
        return (key, settings);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) ? number
        : node is JsonValue exact && exact.GetValueKind() == JsonValueKind.Number && exact.TryGetValue<double>(out var real) && real == Math.Floor(real) && Math.Abs(real) < 1e15 ? (long)real
        : null;
}
