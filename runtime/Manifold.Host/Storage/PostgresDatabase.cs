using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Manifold.Host.Storage;

/// <summary>
/// PostgreSQL (<c>Manifold__Storage__Provider=postgres</c>): one <see cref="NpgsqlDataSource"/> (Npgsql's pool) for the
/// process. Several nodes share the database; the migrations take an advisory lock (<see cref="PostgresDialect"/>).
/// </summary>
public sealed partial class PostgresDatabase : Database
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresDatabase> _logger;

    public PostgresDatabase(IOptions<StorageOptions> options, ILogger<PostgresDatabase> logger)
        : this(options.Value.ConnectionString ?? throw new InvalidOperationException(
            $"{StorageOptions.SectionName}:ConnectionString is required with the postgres provider."), logger)
    {
    }

    internal PostgresDatabase(string connectionString, ILogger<PostgresDatabase> logger)
    {
        _logger = logger;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The name other nodes see in pg_stat_activity, unless the operator named it.
        builder.ApplicationName ??= "manifold";
        ConnectionString = builder.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>The resolved connection string. Internal: it carries the password and must not reach logs or responses.</summary>
    internal string ConnectionString { get; }

    public override IStorageDialect Dialect => PostgresDialect.Instance;

    /// <summary>A connection outside the pool, for one that stays open (the notification listener).</summary>
    internal NpgsqlConnection CreateUnpooledConnection()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, KeepAlive = 15 };
        // Told apart in pg_stat_activity from the node's pooled connections.
        builder.ApplicationName += "-listener";
        return new NpgsqlConnection(builder.ConnectionString);
    }

    protected override async Task<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    internal override void LogMigration(int version, string name) => LogMigrationApplied(version, name);

    public override void Dispose()
    {
        _dataSource.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name}) to PostgreSQL")]
    private partial void LogMigrationApplied(int version, string name);
}
