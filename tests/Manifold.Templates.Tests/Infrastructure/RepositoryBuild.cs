using System.Reflection;

namespace Manifold.Templates.Tests.Infrastructure;

/// <summary>What this repository's build produced for the tests (recorded by the project file as assembly metadata).</summary>
internal static class RepositoryBuild
{
    /// <summary>The local feed the build packed Manifold.Contracts, Manifold.Host.Testing and Manifold.Templates into.</summary>
    public static string FeedDirectory { get; } = Path.GetFullPath(Metadata("ManifoldFeedDir"));

    public static string PackageVersion { get; } = Metadata("ManifoldContractsVersion");

    /// <summary>The host as operators run it: its build output, with the first-party plugins in <c>plugins/</c>.</summary>
    public static string HostAssembly { get; } = Path.GetFullPath(Metadata("ManifoldHostAssembly"));

    public static string Package(string id) => Path.Combine(FeedDirectory, $"{id}.{PackageVersion}.nupkg");

    private static string Metadata(string key) =>
        typeof(RepositoryBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key}.");
}
