using Manifold.Host.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Tests.Storage;

public sealed class StorageOptionsTests
{
    [Fact]
    public void Defaults_AreSqliteAndNoConnectionString_ForTheFileInTheDataFolder()
    {
        var options = Resolve([]);

        Assert.Equal("sqlite", options.Provider);
        Assert.Null(options.ConnectionString);
    }

    [Fact]
    public void Binds_FromTheManifoldStorageSection()
    {
        var options = Resolve(new()
        {
            ["Manifold:Storage:Provider"] = "SQLite",
            ["Manifold:Storage:ConnectionString"] = "Data Source=/var/lib/manifold/db.sqlite",
        });

        Assert.Equal("SQLite", options.Provider);
        Assert.Equal("Data Source=/var/lib/manifold/db.sqlite", options.ConnectionString);
    }

    [Fact]
    public void UnknownProvider_FailsValidation_NamingTheSupportedOnes()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Manifold:Storage:Provider"] = "postgres" }));

        Assert.Contains("'postgres' is not supported", ex.Message);
        Assert.Contains("Supported providers: sqlite", ex.Message);
    }

    [Fact]
    public void MalformedConnectionString_FailsValidation()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Manifold:Storage:ConnectionString"] = "Nonsense Keyword=1" }));

        Assert.Contains("ConnectionString", ex.Message);
    }

    private static StorageOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddManifoldStorage(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<StorageOptions>>().Value;
    }
}
