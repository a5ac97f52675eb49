using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Manifold.Host.Storage;

/// <summary>SQLite's spelling (<see cref="IStorageDialect"/>).</summary>
public sealed class SqliteDialect : IStorageDialect
{
    public static SqliteDialect Instance { get; } = new();

    public string Provider => StorageOptions.SqliteProvider;

    public IReadOnlyList<Migration> Migrations => SqliteMigrations.All;

    public string SkipLocked => "";

    // Microsoft.Data.Sqlite's default transaction is BEGIN IMMEDIATE: it takes the write lock before anything is read, so two
    // processes starting together cannot both decide to apply the same step.
    public async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    // Deferred: a read-only transaction must not take the write lock; WAL gives it one snapshot from its first read.
    public Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public Task NotifyAsync(DbConnection connection, DbTransaction? transaction, string channel, string payload, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
