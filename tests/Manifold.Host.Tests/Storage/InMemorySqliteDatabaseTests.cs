using Manifold.Host.Licences;
using Manifold.Host.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Tests.Storage;

public sealed class InMemorySqliteDatabaseTests
{
    [Theory]
    [InlineData("Data Source=file:{0}?mode=memory&cache=shared")]
    [InlineData("Data Source=:memory:")]
    public async Task SharedMemoryDatabase_SurvivesBetweenConnections(string template)
    {
        var connectionString = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "manifold-" + Guid.NewGuid().ToString("N"));
        using var database = new SqliteDatabase(
            Options.Create(new StorageOptions { ConnectionString = connectionString }),
            TestConfiguration.WithDataPath(Path.GetTempPath()),
            NullLogger<SqliteDatabase>.Instance);

        // Migrate on one connection, then use the schema through others: only works if the database outlives them.
        await database.MigrateAsync();
        var store = new SqliteLicenceStore(database, new LicenceRevocationNotifier(), TimeProvider.System, NullLogger<SqliteLicenceStore>.Instance);
        var issued = await store.CreateAsync("memory");

        Assert.Equal(issued.Licence.Id, (await store.FindByKeyAsync(issued.Key))?.Id);
    }
}
