using System.Globalization;
using System.Text.Json;
using Manifold.Host.Storage;
using System.Data.Common;

namespace Manifold.Host.Licences;

/// <summary>
/// Licences in the <c>licences</c> table, in SQLite or PostgreSQL (the name is older than the second engine). Stores SHA-256
/// hashes only (see <see cref="LicenceKey"/>). A change or revocation is announced on <see cref="StorageChannels.Licences"/>
/// in the same transaction, so other nodes on PostgreSQL drop their cached copy at once (<see cref="LicenceChangeListener"/>).
/// </summary>
public sealed partial class SqliteLicenceStore : ILicenceStore
{
    private const int MaxNameLength = 200;
    private const string Columns = "id, name, key_prefix, created_at, revoked_at, policy";

    private readonly Database _database;
    private readonly LicenceRevocationNotifier _revocations;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SqliteLicenceStore> _logger;

    public SqliteLicenceStore(
        Database database,
        LicenceRevocationNotifier revocations,
        TimeProvider timeProvider,
        ILogger<SqliteLicenceStore> logger)
    {
        _database = database;
        _revocations = revocations;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<IssuedLicence> CreateAsync(string name, LicencePolicy? policy = null, CancellationToken cancellationToken = default)
    {
        name = ValidateName(name);
        policy ??= LicencePolicy.Unrestricted;
        var key = LicenceKey.Generate();
        var prefix = LicenceKey.Prefix(key);
        var createdAt = _timeProvider.GetUtcNow();

        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO licences (name, key_hash, key_prefix, created_at, policy)
            VALUES (@name, @hash, @prefix, @createdAt, @policy)
            RETURNING id;
            """;
        command.AddParameter("@name", name);
        command.AddParameter("@policy", FormatPolicy(policy));
        command.AddParameter("@hash", LicenceKey.Hash(key));
        command.AddParameter("@prefix", prefix);
        command.AddParameter("@createdAt", Format(createdAt));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

        var licence = new Licence(id, name, prefix, createdAt, RevokedAt: null) { Policy = policy };
        LogCreated(id, name, prefix);
        return new IssuedLicence(licence, key);
    }

    public async Task<Licence?> FindByKeyAsync(string plaintextKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintextKey);
        if (plaintextKey.Length == 0 || plaintextKey.Length > LicenceKey.MaxLength)
        {
            return null;
        }

        var hash = LicenceKey.Hash(plaintextKey);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // The lookup goes through the key_hash index, whose comparisons are not constant-time. That leaks nothing
        // useful: an attacker controls the key, not its SHA-256, so learning how many leading hash characters
        // matched says nothing about any stored key.
        command.CommandText = $"SELECT {Columns}, key_hash FROM licences WHERE key_hash = @hash AND revoked_at IS NULL;";
        command.AddParameter("@hash", hash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // Defence in depth: accept the row only if its hash equals ours exactly, compared in constant time, so a
        // collation or schema change could never turn an index match into a false positive.
        return LicenceKey.HashEquals(reader.GetString(6), hash) ? ReadLicence(reader) : null;
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken = default)
    {
        int changed;
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await _database.Dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false))
        await using (var command = connection.Command("UPDATE licences SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL;", transaction))
        {
            command.AddParameter("@now", Format(_timeProvider.GetUtcNow()));
            command.AddParameter("@id", id);
            changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (changed > 0)
            {
                await AnnounceAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (changed == 0)
        {
            return false;
        }

        // After the commit, so a cache refilled from the database right now already sees the revocation.
        _revocations.NotifyRevoked(id);
        LogRevoked(id);
        return true;
    }

    public async Task<Licence?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM licences WHERE id = @id;";
        command.AddParameter("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadLicence(reader) : null;
    }

    public async Task<Licence?> UpdateAsync(long id, string? name, LicencePolicy policy, CancellationToken cancellationToken = default)
    {
        Licence? updated = null;
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await _database.Dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false))
        await using (var command = connection.Command("", transaction))
        {
            // A revoked licence stays as it was revoked: its record is history, not something to edit back to life.
            command.CommandText = $"""
                UPDATE licences SET name = COALESCE(@name, name), policy = @policy
                WHERE id = @id AND revoked_at IS NULL
                RETURNING {Columns};
                """;
            command.AddParameter("@id", id);
            command.AddParameter("@name", name is null ? DBNull.Value : ValidateName(name));
            command.AddParameter("@policy", FormatPolicy(policy));
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    updated = ReadLicence(reader);
                }
            }

            if (updated is not null)
            {
                await AnnounceAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (updated is not null)
        {
            // Cached copies of the old policy must not outlive the change on this instance.
            _revocations.NotifyChanged(id);
            LogUpdated(id);
        }

        return updated;
    }

    public async Task<IReadOnlyList<Licence>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM licences ORDER BY id;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var licences = new List<Licence>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            licences.Add(ReadLicence(reader));
        }

        return licences;
    }

    public async Task<Licence> EnsureBootstrapKeyAsync(string plaintextKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(plaintextKey);
        if (plaintextKey.Length > LicenceKey.MaxLength)
        {
            throw new ArgumentException($"A key may be at most {LicenceKey.MaxLength} characters.", nameof(plaintextKey));
        }

        var hash = LicenceKey.Hash(plaintextKey);
        var now = Format(_timeProvider.GetUtcNow());
        var superseded = new List<long>();
        Licence licence;

        await using (var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await _database.Dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            await using (var upsert = connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                // On conflict the row keeps its id, name and policy, and is active again: the configured key is how an
                // operator gets in, so configuring it must work even after someone revoked it (to turn it off, remove
                // it from the configuration, which revokes it at the next start).
                upsert.CommandText = """
                    INSERT INTO licences (name, key_hash, key_prefix, created_at)
                    VALUES (@name, @hash, @prefix, @now)
                    ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL;
                    """;
                upsert.AddParameter("@name", ILicenceStore.BootstrapName);
                upsert.AddParameter("@hash", hash);
                upsert.AddParameter("@prefix", LicenceKey.Prefix(plaintextKey));
                upsert.AddParameter("@now", now);
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var rotate = connection.CreateCommand())
            {
                rotate.Transaction = transaction;
                // The configured key is the bootstrap key; one left over from an earlier configuration must not
                // stay valid forever just because nobody remembered to revoke it.
                rotate.CommandText = """
                    UPDATE licences SET revoked_at = @now
                    WHERE name = @name AND key_hash <> @hash AND revoked_at IS NULL
                    RETURNING id;
                    """;
                rotate.AddParameter("@name", ILicenceStore.BootstrapName);
                rotate.AddParameter("@hash", hash);
                rotate.AddParameter("@now", now);
                await using var reader = await rotate.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    superseded.Add(reader.GetInt64(0));
                }
            }

            await using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = $"SELECT {Columns} FROM licences WHERE key_hash = @hash;";
                select.AddParameter("@hash", hash);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                licence = ReadLicence(reader);
            }

            foreach (var id in superseded)
            {
                await AnnounceAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var id in superseded)
        {
            _revocations.NotifyRevoked(id);
            LogBootstrapSuperseded(id);
        }

        return licence;
    }

    /// <summary>Tells the other nodes (on commit) that licence <paramref name="id"/> changed; their caches drop it.</summary>
    private Task AnnounceAsync(DbConnection connection, DbTransaction transaction, long id, CancellationToken cancellationToken) =>
        _database.Dialect.NotifyAsync(connection, transaction, StorageChannels.Licences, id.ToString(CultureInfo.InvariantCulture), cancellationToken);

    private static string ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"A licence name must be 1 to {MaxNameLength} characters.", nameof(name));
        }

        if (string.Equals(name, ILicenceStore.BootstrapName, StringComparison.OrdinalIgnoreCase))
        {
            // Reserved: bootstrap rotation revokes every other licence of this name.
            throw new ArgumentException($"The name '{ILicenceStore.BootstrapName}' is reserved for the configured bootstrap key.", nameof(name));
        }

        return name;
    }

    private static Licence ReadLicence(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        Parse(reader.GetString(3)),
        reader.IsDBNull(4) ? null : Parse(reader.GetString(4)))
    {
        Policy = reader.IsDBNull(5) ? LicencePolicy.Unrestricted : JsonSerializer.Deserialize<LicencePolicy>(reader.GetString(5)) ?? LicencePolicy.Unrestricted,
    };

    private static object FormatPolicy(LicencePolicy policy) =>
        policy == LicencePolicy.Unrestricted ? DBNull.Value : JsonSerializer.Serialize(policy);

    // ISO 8601 round-trip text in UTC: sorts correctly as TEXT and reads unambiguously from any tool.
    private static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Created licence {LicenceId} '{Name}' (key prefix {KeyPrefix})")]
    private partial void LogCreated(long licenceId, string name, string keyPrefix);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Revoked licence {LicenceId}")]
    private partial void LogRevoked(long licenceId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Updated licence {LicenceId}")]
    private partial void LogUpdated(long licenceId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Revoked licence {LicenceId}: it was a bootstrap licence for a key that is no longer configured")]
    private partial void LogBootstrapSuperseded(long licenceId);
}
