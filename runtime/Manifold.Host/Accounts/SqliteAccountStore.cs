using System.Globalization;
using Manifold.Host.Storage;
using System.Data.Common;

namespace Manifold.Host.Accounts;

/// <summary>
/// The <c>accounts</c> table, and <c>account_pool_version</c>: one number every write bumps in the same transaction, so a
/// node learns that another changed the accounts by reading one row (see <see cref="AccountPools"/>). SQLite or PostgreSQL
/// (the name is older than the second engine).
/// </summary>
public sealed class SqliteAccountStore(Database database)
{
    private const string Columns = "platform, id, source, key_ciphertext, masked_key, name, weight, priority, account_group, max_concurrency, enabled, created_at, updated_at";

    /// <summary>The version and every row, read in one transaction so the rows are the version's.</summary>
    public async Task<(long Version, IReadOnlyList<StoredAccount> Accounts)> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.Dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
        var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM accounts ORDER BY created_at, id;";
        var accounts = new List<StoredAccount>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                accounts.Add(Read(reader));
            }
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (version, accounts);
    }

    /// <summary>The number every change bumps: the one read a node makes to find out whether it must reload.</summary>
    public async Task<long> ReadVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="account"/>, replacing the row of the same platform and id if there is one.</summary>
    public Task SaveAsync(StoredAccount account, CancellationToken cancellationToken) =>
        WriteAsync(command =>
        {
            command.CommandText = $"""
                INSERT INTO accounts ({Columns})
                VALUES (@platform, @id, @source, @key, @masked, @name, @weight, @priority, @group, @maxConcurrency, @enabled, @createdAt, @updatedAt)
                ON CONFLICT (platform, id) DO UPDATE SET
                    source = excluded.source, key_ciphertext = excluded.key_ciphertext, masked_key = excluded.masked_key, name = excluded.name,
                    weight = excluded.weight, priority = excluded.priority, account_group = excluded.account_group,
                    max_concurrency = excluded.max_concurrency, enabled = excluded.enabled, updated_at = excluded.updated_at;
                """;
            var settings = account.Settings;
            command.AddParameter("@platform", account.Platform);
            command.AddParameter("@id", account.Id);
            command.AddParameter("@source", account.Source == AccountSource.Database ? "database" : "config");
            command.AddParameter("@key", (object?)account.KeyCiphertext ?? DBNull.Value);
            command.AddParameter("@masked", (object?)account.MaskedKey ?? DBNull.Value);
            AddSettings(command, settings);
            command.AddParameter("@createdAt", Format(account.CreatedAt));
            command.AddParameter("@updatedAt", Format(account.UpdatedAt));
        }, cancellationToken);

    /// <summary>Changes a row's settings, leaving its key as it is; false when there is no such row.</summary>
    public async Task<bool> UpdateSettingsAsync(string platform, string id, AccountSettings settings, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        await WriteAsync(command =>
        {
            command.CommandText = """
                UPDATE accounts SET name = @name, weight = @weight, priority = @priority, account_group = @group,
                    max_concurrency = @maxConcurrency, enabled = @enabled, updated_at = @updatedAt
                WHERE platform = @platform AND id = @id;
                """;
            command.AddParameter("@platform", platform);
            command.AddParameter("@id", id);
            AddSettings(command, settings);
            command.AddParameter("@updatedAt", Format(updatedAt));
        }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Deletes the row; true when there was one.</summary>
    public async Task<bool> DeleteAsync(string platform, string id, CancellationToken cancellationToken) =>
        await WriteAsync(command =>
        {
            command.CommandText = "DELETE FROM accounts WHERE platform = @platform AND id = @id;";
            command.AddParameter("@platform", platform);
            command.AddParameter("@id", id);
        }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Runs one statement and bumps the version in the same (immediate) transaction; the statement's row count.</summary>
    private async Task<int> WriteAsync(Action<DbCommand> prepare, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.Dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        prepare(command);
        var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var bump = connection.CreateCommand();
        bump.Transaction = transaction;
        bump.CommandText = "UPDATE account_pool_version SET version = version + 1 WHERE id = 1;";
        await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private static void AddSettings(DbCommand command, AccountSettings settings)
    {
        command.AddParameter("@name", (object?)settings.Name ?? DBNull.Value);
        command.AddParameter("@weight", settings.Weight);
        command.AddParameter("@priority", settings.Priority);
        command.AddParameter("@group", settings.Group);
        command.AddParameter("@maxConcurrency", (object?)settings.MaxConcurrency ?? DBNull.Value);
        command.AddParameter("@enabled", settings.Enabled ? 1 : 0);
    }

    private static async Task<long> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM account_pool_version WHERE id = 1;";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture);
    }

    private static StoredAccount Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2) == "database" ? AccountSource.Database : AccountSource.Config,
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        new AccountSettings
        {
            Name = reader.IsDBNull(5) ? null : reader.GetString(5),
            Weight = reader.GetInt32(6),
            Priority = reader.GetInt32(7),
            Group = reader.GetString(8),
            MaxConcurrency = reader.IsDBNull(9) ? null : reader.GetInt32(9),
            Enabled = reader.GetInt32(10) != 0,
        },
        Parse(reader.GetString(11)),
        Parse(reader.GetString(12)));

    private static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
