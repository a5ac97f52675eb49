using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Host.Accounts;
using Manifold.Host.Licences;

namespace Manifold.Host.Admin;

/// <summary>
/// Reads the bodies of <c>POST /admin/api/licences</c> (every field) and <c>PATCH /admin/api/licences/{id}</c> (the fields
/// present replace the licence's, a <c>null</c> clears one), checking each field as it goes. An error names the field.
/// </summary>
internal static class LicenceRequests
{
    private static readonly HashSet<string> Fields = ["name", "models", "platforms", "groups", "expires_at", "quota", "limits"];

    public sealed class InvalidField(string param, string message) : Exception(message)
    {
        public string Param { get; } = param;
    }

    /// <summary>The name (null when absent) and the policy that results from applying <paramref name="body"/> to <paramref name="current"/>.</summary>
    public static (string? Name, LicencePolicy Policy) Apply(JsonObject body, LicencePolicy current, IReadOnlyCollection<string> platforms)
    {
        foreach (var field in body)
        {
            if (!Fields.Contains(field.Key))
            {
                throw new InvalidField(field.Key, $"Unknown field '{field.Key}'. A licence has {string.Join(", ", Fields)}.");
            }
        }
        string? name = null;
        if (body.TryGetPropertyValue("name", out var nameNode))
        {
            name = nameNode is JsonValue value && value.TryGetValue<string>(out var text) && text.Trim().Length is > 0 and <= 200
                ? text.Trim()
                : throw new InvalidField("name", "'name' must be a string of 1 to 200 characters.");
        }
        var policy = current;
        if (body.TryGetPropertyValue("models", out var models))
        {
            policy = policy with { Models = Names(models, "models", static (model, i) =>
                model.IndexOf('*') is var star && (star < 0 || star == model.Length - 1) && model.Length > (star < 0 ? 0 : 1)
                    ? null
                    : $"'models[{i}]' must be a model name, or a prefix followed by one '*' (gpt-4o*)") };
        }
        if (body.TryGetPropertyValue("platforms", out var platformList))
        {
            policy = policy with { Platforms = Names(platformList, "platforms", (platform, i) =>
                platforms.Contains(platform) ? null : $"'platforms[{i}]' names no configured platform: '{platform}'. Configured: {string.Join(", ", platforms)}.") };
        }
        if (body.TryGetPropertyValue("groups", out var groups))
        {
            policy = policy with { Groups = Names(groups, "groups", static (group, i) =>
                AccountGroups.IsName(group) ? null : $"'groups[{i}]' must be an account group name ({AccountGroups.NameRule}).") };
        }
        if (body.TryGetPropertyValue("expires_at", out var expires))
        {
            policy = policy with { ExpiresAt = Read<DateTimeOffset?>(expires, "expires_at", "an ISO 8601 date and time (2027-01-31T00:00:00Z)") };
        }
        if (body.TryGetPropertyValue("quota", out var quota))
        {
            var read = Read<LicenceQuota?>(quota, "quota", "an object with requests, tokens and cost");
            if (read is { Requests: < 0 } or { Tokens: < 0 } or { Cost: < 0 })
            {
                throw new InvalidField("quota", "'quota' values must not be negative.");
            }
            policy = policy with { Quota = read };
        }
        if (body.TryGetPropertyValue("limits", out var limits))
        {
            var read = Read<LicenceLimits?>(limits, "limits", "an object with rpm, tpm and concurrency");
            if (read is { Rpm: <= 0 } or { Tpm: <= 0 } or { Concurrency: <= 0 })
            {
                throw new InvalidField("limits", "'limits' values must be positive; leave one out (or null) for no limit.");
            }
            policy = policy with { Limits = read };
        }
        return (name, policy);
    }

    private static List<string>? Names(JsonNode? node, string param, Func<string, int, string?> check)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonArray array)
        {
            throw new InvalidField(param, $"'{param}' must be a list of strings, or null for no restriction.");
        }
        var names = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonValue value || !value.TryGetValue<string>(out var name) || name.Trim().Length == 0)
            {
                throw new InvalidField($"{param}[{i}]", $"'{param}[{i}]' must be a non-empty string.");
            }
            if (check(name.Trim(), i) is { } problem)
            {
                throw new InvalidField($"{param}[{i}]", problem);
            }
            names.Add(name.Trim());
        }
        return names;
    }

    private static T? Read<T>(JsonNode? node, string param, string expected)
    {
        try
        {
            return node is null ? default : node.Deserialize<T>(AdminJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidField(param, $"'{param}' must be {expected}.");
        }
    }
}
