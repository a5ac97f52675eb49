using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Storage;

/// <summary>
/// The single place that opens SQLite connections (so every connection gets the same pragmas) and migrates the schema.
/// Singleton: it owns the keep-alive connection that keeps an in-memory database from vanishing.
/// </summary>
public sealed partial class SqliteDatabase : IDisposable
{
    // Long enough to ride out a concurrent writer (SQLite allows one at a time), short enough that a wedged
    // database surfaces as an error instead of a request that hangs forever.
    private const int BusyTimeoutMilliseconds = 5_000;

    private readonly ILogger<SqliteDatabase> _logger;
    private readonly bool _isInMemory;
    private readonly Lock _initLock = new();
    private volatile bool _initialized;
    private SqliteConnection? _keepAlive;

    public SqliteDatabase(IOptions<StorageOptions> options, IConfiguration configuration, ILogger<SqliteDatabase> logger)
    {
        _logger = logger;
        var folder = DataFolder.Resolve(configuration);
        (ConnectionString, _isInMemory) = SqliteConnectionStringResolver.Resolve(
            options.Value.ConnectionString is { Length: > 0 } configured ? configured : "Data Source=manifold.db", folder);
        if (!_isInMemory && new SqliteConnectionStringBuilder(ConnectionString).DataSource is { } file && Path.GetDirectoryName(file) is { Length: > 0 } directory)
        {
            // A fresh data folder is created, not an error: the embedded default must start on a clean machine.
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>The resolved connection string. Internal: it may carry a password and must not reach logs or responses.</summary>
    internal string ConnectionString { get; }

    /// <summary>Opens a (pooled) connection with WAL and busy_timeout applied. The caller disposes it.</summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        EnsureInitialized();
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            // busy_timeout is per connection, so it is set on every open; it is a no-I/O pragma.
            pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};");
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Applies every pending migration from <see cref="SqliteMigrations.All"/>. Safe to call repeatedly and from several processes.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => MigrateAsync(SqliteMigrations.All, cancellationToken);

    internal async Task MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        ValidateOrdering(migrations);

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Microsoft.Data.Sqlite's default transaction is BEGIN IMMEDIATE: it takes the write lock before we read
        // schema_migrations, so two instances starting together cannot both decide to apply the same step.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

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

        var appliedNow = 0;
        foreach (var migration in migrations)
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $appliedAt);";
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$name", migration.Name);
                record.Parameters.AddWithValue("$appliedAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            LogMigrationApplied(migration.Version, migration.Name);
            appliedNow++;
        }

        // All pending steps land together or not at all: a half-migrated database is worse than an old one.
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogSchemaCurrent(latestKnown, appliedNow);
    }

    public void Dispose()
    {
        lock (_initLock)
        {
            _keepAlive?.Dispose();
            _keepAlive = null;
        }
    }

    private void EnsureInitialized()
    {
        if (_initialized)
        {
            return;
        }

        lock (_initLock)
        {
            if (_initialized)
            {
                return;
            }

            if (_isInMemory)
            {
                // A shared-cache in-memory database is destroyed when its last connection closes; pin it for our lifetime.
                _keepAlive = new SqliteConnection(ConnectionString);
                _keepAlive.Open();
            }
            else
            {
                var builder = new SqliteConnectionStringBuilder(ConnectionString);
                var directory = Path.GetDirectoryName(builder.DataSource);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                // WAL lets readers (every authenticated request on a cache miss) proceed while a writer commits.
                // The mode is stored in the database file, so setting it once per process is enough.
                using var connection = new SqliteConnection(ConnectionString);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode = WAL;";
                command.ExecuteNonQuery();
            }

            _initialized = true;
        }
    }

    private static void ValidateOrdering(IReadOnlyList<Migration> migrations)
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

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM schema_migrations;";
        var versions = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name})")]
    private partial void LogMigrationApplied(int version, string name);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Database schema is at version {Version} ({AppliedNow} migration(s) applied now)")]
    private partial void LogSchemaCurrent(int version, int appliedNow);
}
