using Manifold.Host.Storage;

namespace Manifold.Host.Tests.Storage;

public sealed class SqliteMigrationTests : IDisposable
{
    private readonly TempSqliteDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task MigrateAsync_AppliesEveryMigrationOnce()
    {
        await _db.Database.MigrateAsync();

        Assert.Equal(SqliteMigrations.All.Count, _db.Scalar("SELECT COUNT(*) FROM schema_migrations;"));
        Assert.Equal(SqliteMigrations.All[^1].Version, _db.Scalar("SELECT MAX(version) FROM schema_migrations;"));
        Assert.Equal(1, _db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'licences';"));
    }

    [Fact]
    public async Task MigrateAsync_IsIdempotent_OnTheSameAndOnANewInstance()
    {
        await _db.Database.MigrateAsync();
        await _db.Database.MigrateAsync();
        using (var restarted = _db.Open())
        {
            await restarted.MigrateAsync();
        }

        Assert.Equal(SqliteMigrations.All.Count, _db.Scalar("SELECT COUNT(*) FROM schema_migrations;"));
    }

    [Fact]
    public async Task MigrateAsync_CreatesLicencesWithTheSpecifiedColumns()
    {
        await _db.Database.MigrateAsync();

        var columns = _db.ReadColumns("licences");
        Assert.Equal(
            ["id INTEGER pk", "name TEXT notnull", "key_hash TEXT notnull", "key_prefix TEXT notnull", "created_at TEXT notnull", "revoked_at TEXT", "last_used_at TEXT", "policy TEXT"],
            columns);
        Assert.Equal(1, _db.Scalar("SELECT COUNT(*) FROM pragma_index_list('licences') WHERE \"unique\" = 1;"));
    }

    [Fact]
    public async Task MigrateAsync_AppliesOnlyNewMigrations_WhenTheListGrows()
    {
        Migration first = new(1, "one", "CREATE TABLE t1 (x INTEGER);");
        Migration second = new(2, "two", "CREATE TABLE t2 (x INTEGER);");

        await _db.Database.MigrateAsync([first], CancellationToken.None);
        // Would fail with "table t1 already exists" if migration 1 ran again.
        await _db.Database.MigrateAsync([first, second], CancellationToken.None);

        Assert.Equal(2, _db.Scalar("SELECT COUNT(*) FROM schema_migrations;"));
        Assert.Equal(1, _db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 't2';"));
    }

    [Fact]
    public async Task MigrateAsync_RollsBackEverything_WhenAMigrationFails()
    {
        Migration good = new(1, "good", "CREATE TABLE t1 (x INTEGER);");
        Migration bad = new(2, "bad", "THIS IS NOT SQL;");

        await Assert.ThrowsAnyAsync<Exception>(() => _db.Database.MigrateAsync([good, bad], CancellationToken.None));

        Assert.Equal(0, _db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('t1', 'schema_migrations');"));
    }

    [Fact]
    public async Task MigrateAsync_RefusesADatabaseNewerThanTheBuild()
    {
        await _db.Database.MigrateAsync([new(1, "one", "SELECT 1;"), new(2, "two", "SELECT 1;")], CancellationToken.None);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _db.Database.MigrateAsync([new(1, "one", "SELECT 1;")], CancellationToken.None));
        Assert.Contains("newer", ex.Message);
    }

    [Fact]
    public async Task MigrateAsync_RejectsMisorderedMigrations()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => _db.Database.MigrateAsync([new(2, "two", "SELECT 1;"), new(1, "one", "SELECT 1;")], CancellationToken.None));
    }

    [Fact]
    public async Task OpenConnectionAsync_UsesWalAndABusyTimeout()
    {
        await using var connection = await _db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();

        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA busy_timeout;";
        Assert.True((long)(await command.ExecuteScalarAsync())! > 0);
    }
}
