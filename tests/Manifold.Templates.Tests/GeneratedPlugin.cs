using Manifold.Templates.Tests.Infrastructure;

namespace Manifold.Templates.Tests;

/// <summary>
/// A plugin solution made once for the test class the way an author makes one: the Manifold.Templates package from the feed
/// installed into a private template hive (the machine's own template cache is untouched), then
/// <c>dotnet new manifold-plugin -n Acme.Plugin --kind acme</c>, and a nuget.config pointing at the feed.
/// </summary>
public sealed class GeneratedPlugin : IAsyncLifetime
{
    public const string Name = "Acme.Plugin";
    public const string Kind = "acme";

    /// <summary>A scratch folder for everything: the hive, the solution, the package cache, deployments.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("manifold-template-").FullName;

    /// <summary>The generated solution.</summary>
    public string Solution => Path.Combine(Root, "src");

    /// <summary>
    /// For every dotnet command on the solution: a package cache of its own, so the packages under test are restored fresh
    /// from the feed on every run, whatever an earlier restore of the same version left in the machine's cache.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "packages") };

    public async Task InitializeAsync()
    {
        string hive = Path.Combine(Root, "hive");
        string templates = RepositoryBuild.Package("Manifold.Templates");
        Assert.True(File.Exists(templates), $"The build packs {templates} (tests/Manifold.Templates.Tests's PackManifoldFeed target).");

        var install = await DotNet.RunAsync(Root, Environment, TimeSpan.FromMinutes(2), "new", "install", templates, "--debug:custom-hive", hive);
        Assert.True(install.ExitCode == 0, install.Output);

        var create = await DotNet.RunAsync(Root, Environment, TimeSpan.FromMinutes(2),
            "new", "manifold-plugin", "-n", Name, "--kind", Kind, "-o", Solution, "--debug:custom-hive", hive);
        Assert.True(create.ExitCode == 0, create.Output);

        await LocalFeedConfig.WriteAsync(Solution, RepositoryBuild.FeedDirectory, Root);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the OS cleans its temporary folder.
        }
        return Task.CompletedTask;
    }
}
