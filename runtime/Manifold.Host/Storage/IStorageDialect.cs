using System.Data;
using System.Data.Common;

namespace Manifold.Host.Storage;

/// <summary>
/// The few things SQLite and PostgreSQL spell differently. Everything else in the stores is SQL both read as written
/// (<c>@name</c> parameters, <c>INSERT … ON CONFLICT … DO UPDATE</c>, <c>RETURNING</c>, row values, times as unix ms or ISO text).
/// </summary>
public interface IStorageDialect
{
    /// <summary><see cref="StorageOptions.SqliteProvider"/> or <see cref="StorageOptions.PostgresProvider"/>.</summary>
    string Provider { get; }

    /// <summary>The engine's schema history (<see cref="SqliteMigrations"/>, <see cref="PostgresMigrations"/>): the same numbers, each engine's types.</summary>
    IReadOnlyList<Migration> Migrations { get; }

    /// <summary>
    /// Appended to a <c>SELECT</c> that picks rows to claim: PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c>, so two nodes claiming
    /// at once take different rows; empty in SQLite, whose one writer at a time already makes the claiming statement atomic.
    /// </summary>
    string SkipLocked { get; }

    /// <summary>
    /// Begins the transaction that runs the migrations and holds the schema lock until it ends: SQLite's <c>BEGIN IMMEDIATE</c>
    /// (the write lock), PostgreSQL's transaction-scoped advisory lock on a fixed key (DDL is transactional there).
    /// </summary>
    Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a transaction for writes (SQLite: immediate, so a read-then-write cannot deadlock on the upgrade).</summary>
    Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a read-only transaction whose reads all see one snapshot.</summary>
    Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the other nodes, when <paramref name="transaction"/> commits, that something on <paramref name="channel"/> changed
    /// (PostgreSQL <c>pg_notify</c>; nothing in SQLite, whose nodes rely on their caches' lifetimes and polls).
    /// </summary>
    Task NotifyAsync(DbConnection connection, DbTransaction? transaction, string channel, string payload, CancellationToken cancellationToken);
}

/// <summary>Helpers every store uses for parameters, whatever the provider.</summary>
public static class DbCommandExtensions
{
    /// <summary>Adds <paramref name="name"/> (<c>@name</c>) with <paramref name="value"/>, a null as <see cref="DBNull"/>.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A command on <paramref name="connection"/> in <paramref name="transaction"/>.</summary>
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    internal static bool IsOpen(this DbConnection connection) => connection.State == ConnectionState.Open;
}
