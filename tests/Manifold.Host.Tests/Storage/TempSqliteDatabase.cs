using Manifold.Host.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Tests.Storage;

/// <summary>A SQLite database in its own temp directory, deleted (with its -wal/-shm files) on dispose.</summary>
public sealed class TempSqliteDatabase : TestDatabase
{
    public TempSqliteDatabase()
    {
        Directory.CreateDirectory(Root);
        Database = Open();
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "manifold-storage-" + Guid.NewGuid().ToString("N"));

    public string FilePath => Path.Combine(Root, "manifold.db");

    public override SqliteDatabase Database { get; }

    /// <summary>Another SqliteDatabase on the same file, as a second process or a restart would have.</summary>
    public override SqliteDatabase Open() => new(
        Options.Create(new StorageOptions { ConnectionString = "Data Source=manifold.db" }),
        TestConfiguration.WithDataPath(Root),
        NullLogger<SqliteDatabase>.Instance);

    /// <summary>Columns as "name TYPE [notnull] [pk]", in declaration order.</summary>
    public List<string> ReadColumns(string table)
    {
        using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}') ORDER BY cid;";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            var description = $"{reader.GetString(0)} {reader.GetString(1)}";
            if (reader.GetInt64(2) == 1)
            {
                description += " notnull";
            }

            if (reader.GetInt64(3) > 0)
            {
                description += " pk";
            }

            columns.Add(description);
        }

        return columns;
    }

    public override void Dispose()
    {
        Database.Dispose();
        // Pooled connections keep the file open; release them before deleting.
        using (var pooled = new SqliteConnection(Database.ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        Directory.Delete(Root, recursive: true);
    }
}
