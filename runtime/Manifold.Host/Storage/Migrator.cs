using System.Data.Common;
using System.Globalization;

namespace Manifold.Host.Storage;

/// <summary>
/// Applies a provider's migrations, recorded in <c>schema_migrations</c>, all in one transaction that holds the provider's
/// migration lock (<see cref="IStorageDialect.BeginMigrationAsync"/>): nodes starting together take turns, and the second
/// finds the work done. All pending steps land together or not at all: a half-migrated database is worse than an old one.
/// </summary>
internal static class Migrator
{
    public static async Task MigrateAsync(Database database, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        ValidateOrdering(migrations);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.Dialect.BeginMigrationAsync(connection, cancellationToken).ConfigureAwait(false);

        // The same text in both engines: INTEGER and TEXT are types in each.
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """, cancellationToken).ConfigureAwait(false);

        var applied = await ReadAppliedVersionsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var latestKnown = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (applied.Count > 0 && applied.Max() > latestKnown)
        {
            // Running old code against a newer schema risks silently misreading data; refuse instead.
            throw new InvalidOperationException(
                $"The database schema is at version {applied.Max()}, newer than this build knows ({latestKnown}). Upgrade Manifold.");
        }

        foreach (var migration in migrations)
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using (var record = connection.Command(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @appliedAt);", transaction))
            {
                record.AddParameter("@version", migration.Version);
                record.AddParameter("@name", migration.Name);
                record.AddParameter("@appliedAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            database.LogMigration(migration.Version, migration.Name);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static void ValidateOrdering(IReadOnlyList<Migration> migrations)
    {
        var previous = 0;
        foreach (var migration in migrations)
        {
            if (migration.Version <= previous)
            {
                throw new InvalidOperationException(
                    $"Migrations must have positive, strictly ascending versions; {migration.Version} ('{migration.Name}') follows {previous}.");
            }

            previous = migration.Version;
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT version FROM schema_migrations;", transaction);
        var versions = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
