using Manifold.Host.Licences;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Tests.Licences;

public sealed class AddManifoldLicencesTests : IDisposable
{
    private const string BootstrapKey = "bootstrap-key-for-host-tests-0123456789";
    private readonly string _contentRoot = Path.Combine(Path.GetTempPath(), "manifold-host-" + Guid.NewGuid().ToString("N"));

    public AddManifoldLicencesTests() => Directory.CreateDirectory(_contentRoot);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_contentRoot, recursive: true);
    }

    [Fact]
    public async Task Startup_MigratesAndActivatesTheBootstrapKey_Idempotently()
    {
        for (var run = 0; run < 2; run++)
        {
            using var host = Build(new() { ["Manifold:BootstrapKey"] = BootstrapKey });
            await host.StartAsync();

            var licence = await host.Services.GetRequiredService<LicenceAuthenticator>().AuthenticateAsync(BootstrapKey);
            Assert.NotNull(licence);
            Assert.Equal("bootstrap", licence.Name);
            Assert.Single(await host.Services.GetRequiredService<ILicenceStore>().ListAsync());

            await host.StopAsync();
        }

        // With no connection string, the database is manifold.db in the data folder (Manifold__DataPath), created if missing.
        Assert.True(File.Exists(Path.Combine(_contentRoot, "data", "manifold.db")));
    }

    [Fact]
    public async Task Startup_WithoutABootstrapKey_CreatesNoLicence()
    {
        using var host = Build([]);
        await host.StartAsync();

        Assert.Empty(await host.Services.GetRequiredService<ILicenceStore>().ListAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task Removing_the_bootstrap_key_ends_its_licence_and_configuring_it_again_brings_it_back()
    {
        async Task<Licence?> StartAsync(Dictionary<string, string?> settings)
        {
            using var host = Build(settings);
            await host.StartAsync();
            var licence = await host.Services.GetRequiredService<LicenceAuthenticator>().AuthenticateAsync(BootstrapKey);
            await host.StopAsync();
            return licence;
        }

        var first = await StartAsync(new() { ["Manifold:BootstrapKey"] = BootstrapKey });
        var removed = await StartAsync([]);
        var back = await StartAsync(new() { ["Manifold:BootstrapKey"] = BootstrapKey });

        Assert.NotNull(first);
        Assert.Null(removed);
        Assert.Equal(first.Id, back?.Id);
    }

    [Fact]
    public async Task Startup_FailsOnAnUnsupportedProvider()
    {
        using var host = Build(new() { ["Manifold:Storage:Provider"] = "mysql" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("mysql", ex.Message);
    }

    [Fact]
    public void Registrations_ShareOneAuthenticatorAndStore()
    {
        using var host = Build([]);

        Assert.Same(host.Services.GetRequiredService<LicenceAuthenticator>(), host.Services.GetRequiredService<LicenceAuthenticator>());
        Assert.IsType<SqliteLicenceStore>(host.Services.GetRequiredService<ILicenceStore>());
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        // Fully qualified: inside Manifold.Host.Tests, "Host" means the Manifold.Host namespace.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = _contentRoot,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["Manifold:DataPath"] = Path.Combine(_contentRoot, "data") });
        builder.Services.AddManifoldLicences(builder.Configuration);
        return builder.Build();
    }
}
