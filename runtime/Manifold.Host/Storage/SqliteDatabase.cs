using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Storage;

/// <summary>
/// The single place that opens SQLite connections (so every connection gets the same pragmas) and migrates the schema.
/// Singleton: it owns the keep-alive connection that keeps an in-memory database from vanishing.
/// </summary>
public sealed partial class SqliteDatabase : Database
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

    public override IStorageDialect Dialect => SqliteDialect.Instance;

    /// <summary>
    /// Opens a (pooled) connection with WAL and busy_timeout applied. The caller disposes it. Hides the base's
    /// <see cref="Database.OpenConnectionAsync"/> with the SQLite type, for code written against SQLite alone.
    /// </summary>
    public new async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
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

    protected override async Task<System.Data.Common.DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken) =>
        await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    internal override void LogMigration(int version, string name) => LogMigrationApplied(version, name);

    public override void Dispose()
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name})")]
    private partial void LogMigrationApplied(int version, string name);
}
