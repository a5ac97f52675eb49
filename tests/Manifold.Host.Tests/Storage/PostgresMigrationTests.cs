using Manifold.Host.Storage;

namespace Manifold.Host.Tests.Storage;

/// <summary>
/// PostgreSQL's migrations on a real server, and the rule that keeps the two engines' lists in step: a migration added to
/// one list and not the other fails <see cref="Both_lists_have_the_same_numbers_and_names"/> (the fix is the other list's entry).
/// </summary>
public sealed class PostgresMigrationTests : IDisposable
{
    private readonly TempPostgresDatabase _db = TempPostgresDatabase.Create();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Both_lists_have_the_same_numbers_and_names()
    {
        Assert.Equal(
            SqliteMigrations.All.Select(static m => $"{m.Version} {m.Name}"),
            PostgresMigrations.All.Select(static m => $"{m.Version} {m.Name}"));
    }

    [Fact]
    public async Task Every_table_has_the_same_columns_in_both_engines()
    {
        using var sqlite = new TempSqliteDatabase();
        await sqlite.Database.MigrateAsync();
        await _db.Database.MigrateAsync();

        var sqliteTables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in ReadColumn(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        {
            sqliteTables[table] = string.Join(", ", ReadColumn(sqlite, $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid"));
        }

        var postgresTables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in ReadColumn(_db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))
        {
            postgresTables[table] = string.Join(", ", ReadColumn(_db,
                $"SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position"));
        }

        Assert.Equal(sqliteTables, postgresTables);
    }

    [Fact]
    public async Task Nodes_migrating_at_once_take_turns_and_apply_each_step_once()
    {
        // Eight nodes starting together on an empty schema: without the advisory lock two would race on CREATE TABLE.
        var nodes = Enumerable.Range(0, 8).Select(_ => _db.Open()).ToList();

        await Task.WhenAll(nodes.Select(static node => Task.Run(() => node.MigrateAsync())));

        Assert.Equal(PostgresMigrations.All.Count, _db.Scalar("SELECT COUNT(*) FROM schema_migrations;"));
        Assert.Equal(PostgresMigrations.All[^1].Version, _db.Scalar("SELECT MAX(version) FROM schema_migrations;"));
    }

    [Fact]
    public async Task A_failing_step_rolls_back_every_step_of_the_run()
    {
        Migration good = new(1, "good", "CREATE TABLE t1 (x integer);");
        Migration bad = new(2, "bad", "THIS IS NOT SQL;");

        await Assert.ThrowsAnyAsync<Exception>(() => _db.Database.MigrateAsync([good, bad], CancellationToken.None));

        Assert.Equal(0, _db.Scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema();"));
    }

    [Fact]
    public async Task A_database_newer_than_the_build_is_refused()
    {
        await _db.Database.MigrateAsync([new(1, "one", "SELECT 1;"), new(2, "two", "SELECT 1;")], CancellationToken.None);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _db.Database.MigrateAsync([new(1, "one", "SELECT 1;")], CancellationToken.None));
        Assert.Contains("newer", ex.Message);
    }

    private static List<string> ReadColumn(TestDatabase db, string sql)
    {
        var values = new List<string>();
        using var connection = db.Database.OpenConnectionAsync().GetAwaiter().GetResult();
        using var command = connection.Command(sql);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }
}
