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
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Manifold:Storage:Provider"] = "mysql" }));

        Assert.Contains("'mysql' is not supported", ex.Message);
        Assert.Contains("Supported providers: sqlite, postgres", ex.Message);
    }

    [Fact]
    public void Postgres_needs_a_connection_string_with_a_host_and_never_echoes_it()
    {
        var missing = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Manifold:Storage:Provider"] = "postgres" }));
        var hostless = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Manifold:Storage:Provider"] = "postgres",
            ["Manifold:Storage:ConnectionString"] = "Database=manifold;Password=hunter2-secret",
        }));
        var valid = Resolve(new()
        {
            ["Manifold:Storage:Provider"] = "Postgres",
            ["Manifold:Storage:ConnectionString"] = "Host=db;Database=manifold;Username=m;Password=hunter2-secret",
        });

        Assert.Contains("ConnectionString is required", missing.Message);
        Assert.Contains("names no Host", hostless.Message);
        Assert.DoesNotContain("hunter2", hostless.Message);
        Assert.True(valid.IsPostgres);
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
