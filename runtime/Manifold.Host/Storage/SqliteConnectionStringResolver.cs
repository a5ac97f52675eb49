using Microsoft.Data.Sqlite;

namespace Manifold.Host.Storage;

/// <summary>Turns the configured connection string into the one actually opened.</summary>
internal static class SqliteConnectionStringResolver
{
    private const string PrivateMemoryDataSource = ":memory:";

    /// <summary>
    /// Resolves a relative file <c>Data Source</c> against <paramref name="contentRoot"/> (the data folder) and reports whether the
    /// database lives in memory (the caller must then hold a connection open, or SQLite drops it on last close).
    /// </summary>
    public static (string ConnectionString, bool IsInMemory) Resolve(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;

        if (string.IsNullOrEmpty(dataSource) || dataSource == PrivateMemoryDataSource)
        {
            // A bare :memory: database is private to each connection, so every pooled connection would see an
            // empty schema. Give it a unique shared-cache name so all of this process's connections share one.
            builder.DataSource = $"manifold-{Guid.NewGuid():N}";
            builder.Mode = SqliteOpenMode.Memory;
            builder.Cache = SqliteCacheMode.Shared;
            return (builder.ToString(), true);
        }

        if (builder.Mode == SqliteOpenMode.Memory)
        {
            return (builder.ToString(), true);
        }

        if (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            // URI filenames carry their own options (mode=memory, cache=shared, ...); SQLite interprets them as given.
            return (builder.ToString(), dataSource.Contains("mode=memory", StringComparison.OrdinalIgnoreCase));
        }

        if (!Path.IsPathRooted(dataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, dataSource));
        }

        return (builder.ToString(), false);
    }
}
