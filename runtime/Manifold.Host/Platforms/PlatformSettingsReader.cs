using System.Globalization;
using System.Text.RegularExpressions;
using Manifold.Contracts;

namespace Manifold.Host.Platforms;

/// <summary>
/// Reads <c>Manifold:Platforms:&lt;name&gt;</c> sections. Those key names are a public contract
/// (environment variables like <c>Manifold__Platforms__openai__Accounts__0__Key</c>), so they are read
/// by hand here rather than through a bound options class that could drift.
/// </summary>
internal static partial class PlatformSettingsReader
{
    public const string SectionName = "Manifold:Platforms";

    private static readonly HashSet<string> KnownKeys = new(StringComparer.OrdinalIgnoreCase) { "Plugin", "BaseUrl", "Accounts", "Models", "Enabled" };

    // Route segments the host uses itself can't be platform names.
    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase) { "v1", "v1beta", "v2", "openapi", "healthz", "admin" };

    public static IReadOnlyList<PlatformSettings> Read(IConfiguration configuration)
    {
        var result = new List<PlatformSettings>();
        foreach (var section in configuration.GetSection(SectionName).GetChildren().OrderBy(static s => s.Key, StringComparer.Ordinal))
        {
            if (string.Equals(section["Enabled"], "false", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            result.Add(ReadOne(section));
        }
        return result;
    }

    private static PlatformSettings ReadOne(IConfigurationSection section)
    {
        var name = section.Key;
        if (!NamePattern().IsMatch(name) || ReservedNames.Contains(name))
        {
            throw Invalid(name, "Platform names are lowercase letters, digits, '-' and '_', start with a letter, and are not a reserved route segment (v1, v1beta, v2, openapi, healthz, admin).");
        }
        var plugin = section["Plugin"];
        if (string.IsNullOrWhiteSpace(plugin))
        {
            throw Invalid(name, $"Set {SectionName}:{name}:Plugin (environment: Manifold__Platforms__{name}__Plugin) to a plugin kind, e.g. 'openai'.");
        }

        Uri? baseUrl = null;
        if (section["BaseUrl"] is { Length: > 0 } rawUrl &&
            (!Uri.TryCreate(rawUrl, UriKind.Absolute, out baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps)))
        {
            throw Invalid(name, $"BaseUrl '{rawUrl}' is not an absolute http(s) URL.");
        }

        var accounts = new List<UpstreamAccount>();
        foreach (var account in Ordered(section.GetSection("Accounts")))
        {
            // An account may be written as a bare value (Accounts__0=key) or as Accounts__0__Key=key.
            var key = account.Value ?? account["Key"];
            if (string.IsNullOrWhiteSpace(key))
            {
                throw Invalid(name, $"Accounts:{account.Key} has no Key.");
            }
            string id;
            if (account["Id"] is { Length: > 0 } configured)
            {
                id = configured.Trim();
                if (accounts.Any(a => a.Id == id))
                {
                    throw Invalid(name, $"Accounts:{account.Key} has the Id '{id}' of another account.");
                }
            }
            else
            {
                // The same key listed twice is the same credential twice; its copies are told apart by occurrence.
                var fingerprint = AccountIds.FromKey(name, key.Trim());
                id = fingerprint;
                for (var copy = 2; accounts.Any(a => a.Id == id); copy++)
                {
                    id = $"{fingerprint}_{copy}";
                }
            }
            accounts.Add(new UpstreamAccount(id, key.Trim()));
        }

        var models = Ordered(section.GetSection("Models"))
            .Select(static m => m.Value)
            .Where(static m => !string.IsNullOrWhiteSpace(m))
            .Select(static m => m!.Trim())
            .ToList();

        var options = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in section.AsEnumerable(makePathsRelative: true))
        {
            var top = pair.Key.Split(':')[0];
            if (!KnownKeys.Contains(top) && pair.Value is not null)
            {
                options[pair.Key] = pair.Value;
            }
        }

        return new PlatformSettings
        {
            Name = name,
            Plugin = plugin.Trim(),
            BaseUrl = baseUrl,
            Accounts = accounts,
            Models = models,
            Options = options,
        };
    }

    // Configuration children sort as strings ("10" before "2"); operators mean numeric order.
    private static IEnumerable<IConfigurationSection> Ordered(IConfigurationSection section) =>
        section.GetChildren().OrderBy(static c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .ThenBy(static c => c.Key, StringComparer.Ordinal);

    private static InvalidOperationException Invalid(string name, string message) =>
        new($"Platform '{name}' is misconfigured: {message}");

    [GeneratedRegex("^[a-z][a-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
