using Microsoft.Extensions.Configuration;

namespace Manifold.Host.Tests.Storage;

/// <summary>Just enough configuration for the database to resolve relative paths: the data folder.</summary>
internal static class TestConfiguration
{
    public static IConfiguration WithDataPath(string dataPath) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Manifold:DataPath"] = dataPath }).Build();
}
