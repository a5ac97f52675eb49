using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Manifold.Templates.Tests.Infrastructure;

/// <summary>
/// The <c>nuget.config</c> a plugin author writes (README, "Writing a plugin"): Manifold's packages from the local feed, the
/// rest from the sources this machine is configured with. Manifold.* comes only from the feed, so no other source (nor an
/// older restore of the same version in this machine's package cache) can stand in for the packages under test.
/// </summary>
internal static partial class LocalFeedConfig
{
    private const string FeedKey = "manifold-feed";
    private const string CacheKey = "machine-package-cache";

    /// <summary>
    /// Writes the file into <paramref name="directory"/>. The machine's package cache is one more source, so packages this
    /// repository's restore already fetched are not downloaded again, and a machine without a registry still restores.
    /// </summary>
    public static async Task WriteAsync(string directory, string feedDirectory, string scratch)
    {
        var environment = new Dictionary<string, string>();
        var sources = ParseSources((await DotNet.RunAsync(scratch, environment, TimeSpan.FromMinutes(1), "nuget", "list", "source", "--format", "detailed")).Output);
        var cache = ParseCache((await DotNet.RunAsync(scratch, environment, TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list")).Output);

        List<(string Key, string Url, string Pattern)> all = [(FeedKey, feedDirectory, "Manifold.*")];
        if (cache is not null && Directory.Exists(cache))
        {
            all.Add((CacheKey, cache, "*"));
        }
        all.AddRange(sources.Select(static s => (s.Key, s.Url, "*")));

        var config = new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                all.Select(static s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Url)))),
            new XElement("packageSourceMapping",
                all.Select(static s => new XElement("packageSource", new XAttribute("key", s.Key),
                    new XElement("package", new XAttribute("pattern", s.Pattern))))));
        await File.WriteAllTextAsync(Path.Combine(directory, "nuget.config"), new XDocument(config).ToString());
    }

    // "  1.  nuget.org [Enabled]" followed by "      https://api.nuget.org/v3/index.json".
    private static List<(string Key, string Url)> ParseSources(string listing)
    {
        List<(string, string)> sources = [];
        string[] lines = listing.Split('\n', StringSplitOptions.TrimEntries);
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (SourceLine().Match(lines[i]) is { Success: true } match && match.Groups["state"].Value == "Enabled")
            {
                sources.Add((match.Groups["key"].Value, lines[i + 1]));
            }
        }
        return sources;
    }

    // "global-packages: /root/.nuget/packages/"
    private static string? ParseCache(string listing) =>
        listing.Split('\n', StringSplitOptions.TrimEntries).FirstOrDefault(static l => l.StartsWith("global-packages:", StringComparison.Ordinal))
            ?["global-packages:".Length..].Trim();

    [GeneratedRegex(@"^\d+\.\s+(?<key>.+?) \[(?<state>Enabled|Disabled)\]$")]
    private static partial Regex SourceLine();
}
