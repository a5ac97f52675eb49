using System.Data;
using System.Data.Common;

namespace Manifold.Host.Storage;

/// <summary>PostgreSQL's spelling (<see cref="IStorageDialect"/>).</summary>
public sealed class PostgresDialect : IStorageDialect
{
    /// <summary>
    /// The advisory lock key migrations take: any fixed number, the same in every build, so every node waits on the same lock.
    /// ("MANIFOLD" in ASCII.)
    /// </summary>
    public const long MigrationLockKey = 0x4D414E49464F4C44;

    public static PostgresDialect Instance { get; } = new();

    public string Provider => StorageOptions.PostgresProvider;

    public IReadOnlyList<Migration> Migrations => PostgresMigrations.All;

    public string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Held until the transaction ends, commit or rollback, and released by the server if this node dies meanwhile.
            await using var command = connection.Command("SELECT pg_advisory_xact_lock(@key);", transaction);
            command.AddParameter("@key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    public async Task NotifyAsync(DbConnection connection, DbTransaction? transaction, string channel, string payload, CancellationToken cancellationToken)
    {
        // pg_notify rather than NOTIFY: it takes parameters. Delivered when the transaction commits, and not at all if it rolls back.
        await using var command = connection.Command("SELECT pg_notify(@channel, @payload);", transaction);
        command.AddParameter("@channel", channel);
        command.AddParameter("@payload", payload);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
