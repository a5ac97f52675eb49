using System.Globalization;
using System.Text.RegularExpressions;
using Manifold.Contracts;
using Manifold.Host.Accounts;

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

    public static IReadOnlyList<PlatformSettings> Read(IConfiguration configuration) => [.. ReadPlatforms(configuration).Select(static p => p.Settings)];

    /// <summary>Every enabled platform, with the routing settings of each of its accounts (in the order of <see cref="PlatformSettings.Accounts"/>).</summary>
    public static IReadOnlyList<ConfiguredPlatform> ReadPlatforms(IConfiguration configuration)
    {
        var result = new List<ConfiguredPlatform>();
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

    private static ConfiguredPlatform ReadOne(IConfigurationSection section)
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
        var routing = new List<AccountSettings>();
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
            routing.Add(account.Value is null ? ReadRouting(name, account) : AccountSettings.Default);
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

        return new ConfiguredPlatform(new PlatformSettings
        {
            Name = name,
            Plugin = plugin.Trim(),
            BaseUrl = baseUrl,
            Accounts = accounts,
            Models = models,
            Options = options,
        }, routing);
    }

    /// <summary><c>Accounts:{i}:Name</c>, <c>Weight</c>, <c>Priority</c>, <c>Group</c>, <c>MaxConcurrency</c> and <c>Enabled</c>, each optional.</summary>
    private static AccountSettings ReadRouting(string name, IConfigurationSection account)
    {
        var where = $"Accounts:{account.Key}";
        var settings = AccountSettings.Default;
        if (account["Name"] is { Length: > 0 } label)
        {
            settings = settings with { Name = label.Trim() };
        }
        if (account["Weight"] is { } weight)
        {
            settings = settings with { Weight = Integer(weight, 1, AccountSettings.MaxWeight) ?? throw Invalid(name, $"{where}:Weight must be a whole number from 1 to {AccountSettings.MaxWeight}.") };
        }
        if (account["Priority"] is { } priority)
        {
            settings = settings with { Priority = Integer(priority, int.MinValue, int.MaxValue) ?? throw Invalid(name, $"{where}:Priority must be a whole number (lower is tried first).") };
        }
        if (account["Group"] is { } group)
        {
            settings = settings with { Group = AccountGroups.IsName(group.Trim()) ? group.Trim() : throw Invalid(name, $"{where}:Group '{group}' is not a group name ({AccountGroups.NameRule}).") };
        }
        if (account["MaxConcurrency"] is { Length: > 0 } concurrency)
        {
            settings = settings with { MaxConcurrency = Integer(concurrency, 1, int.MaxValue) ?? throw Invalid(name, $"{where}:MaxConcurrency must be a whole number of at least 1.") };
        }
        if (account["Enabled"] is { } enabled)
        {
            settings = settings with { Enabled = bool.TryParse(enabled, out var on) ? on : throw Invalid(name, $"{where}:Enabled must be true or false.") };
        }
        return settings;
    }

    private static int? Integer(string text, int minimum, int maximum) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum ? value : null;

    // Configuration children sort as strings ("10" before "2"); operators mean numeric order.
    private static IEnumerable<IConfigurationSection> Ordered(IConfigurationSection section) =>
        section.GetChildren().OrderBy(static c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .ThenBy(static c => c.Key, StringComparer.Ordinal);

    private static InvalidOperationException Invalid(string name, string message) =>
        new($"Platform '{name}' is misconfigured: {message}");

    [GeneratedRegex("^[a-z][a-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
