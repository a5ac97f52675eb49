using System.Data.Common;

namespace Manifold.Host.Storage;

/// <summary>
/// The database every store works through, whichever engine holds it (<c>Manifold__Storage__Provider</c>): it opens
/// connections and migrates the schema, and its <see cref="Dialect"/> spells what the engines say differently. Stores keep
/// plain ADO.NET with <c>@name</c> parameters and SQL both engines read; see docs/operations.md, "Storage and several nodes".
/// </summary>
public abstract class Database : IDisposable
{
    /// <summary>What differs between the engines: migrations, locks, notifications, row locking.</summary>
    public abstract IStorageDialect Dialect { get; }

    /// <summary>Opens a (pooled) connection. The caller disposes it.</summary>
    public Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) => OpenDbConnectionAsync(cancellationToken);

    /// <summary>Applies every pending migration of the engine's list, under a lock, so nodes starting together cannot race.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => MigrateAsync(Dialect.Migrations, cancellationToken);

    internal Task MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken) =>
        Migrator.MigrateAsync(this, migrations, cancellationToken);

    /// <summary>Logs what <see cref="Migrator"/> did; the engine's class owns the logger.</summary>
    internal abstract void LogMigration(int version, string name);

    protected abstract Task<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
