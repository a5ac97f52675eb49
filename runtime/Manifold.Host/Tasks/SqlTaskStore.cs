using System.Data.Common;
using Manifold.Host.Storage;

namespace Manifold.Host.Tasks;

/// <summary>
/// <see cref="ITaskStore"/> over the <c>media_tasks</c> table. Plain ADO.NET with <c>@name</c> parameters and SQL that
/// SQLite and PostgreSQL both read (row values, partial indexes, timestamps as unix milliseconds), so the same
/// statements serve either engine; claiming due jobs adds PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c> (<see cref="IStorageDialect.SkipLocked"/>).
/// </summary>
public sealed class SqlTaskStore(Database database) : ITaskStore
{
    private const string Columns = """
        id, kind, platform, account_id, upstream_id, model, licence_id, status, progress, created_at, updated_at,
        started_at, completed_at, expires_at, error_code, error_message, parameters, results, next_poll_at, poll_count, version
        """;

    private const string Active = $"status IN ('{MediaTaskStatus.Queued}', '{MediaTaskStatus.InProgress}')";

    public async Task InsertAsync(MediaTask task, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO media_tasks ({Columns})
            VALUES (@id, @kind, @platform, @account_id, @upstream_id, @model, @licence_id, @status, @progress, @created_at, @updated_at,
                    @started_at, @completed_at, @expires_at, @error_code, @error_message, @parameters, @results, @next_poll_at, @poll_count, @version);
            """;
        Bind(command, task with { Version = 1 });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<MediaTask?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM media_tasks WHERE id = @id;";
        command.AddParameter("@id", id);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<MediaTask?> TryUpdateAsync(MediaTask task, CancellationToken cancellationToken = default)
    {
        var next = task with { Version = task.Version + 1 };
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE media_tasks SET
                account_id = @account_id, upstream_id = @upstream_id, status = @status, progress = @progress, updated_at = @updated_at,
                started_at = @started_at, completed_at = @completed_at, expires_at = @expires_at, error_code = @error_code,
                error_message = @error_message, parameters = @parameters, results = @results, next_poll_at = @next_poll_at,
                poll_count = @poll_count, version = @version
            WHERE id = @id AND version = @expected;
            """;
        Bind(command, next);
        command.AddParameter("@expected", task.Version);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? next : null;
    }

    public async Task<IReadOnlyList<MediaTask>> ListAsync(
        long? licenceId, string kind, string? after, int limit, bool ascending, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var (compare, order) = ascending ? (">", "ASC") : ("<", "DESC");
        // The cursor is a job id; rows are ordered by (created_at, id) so jobs made in the same millisecond page stably.
        var cursor = after is null ? "" : $"""
            AND (created_at, id) {compare} (SELECT created_at, id FROM media_tasks WHERE id = @after)
            """;
        command.CommandText = $"""
            SELECT {Columns} FROM media_tasks
            WHERE kind = @kind AND (licence_id = @licence_id OR (@licence_id IS NULL AND licence_id IS NULL)) {cursor}
            ORDER BY created_at {order}, id {order}
            LIMIT @limit;
            """;
        command.AddParameter("@kind", kind);
        command.AddParameter("@licence_id", licenceId);
        command.AddParameter("@after", after);
        command.AddParameter("@limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MediaTask>> SearchAsync(TaskSearch search, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        void Filter(string column, object? value)
        {
            if (value is not null)
            {
                where.Add($"{column} = @{column}");
                command.AddParameter("@" + column, value);
            }
        }
        Filter("status", search.Status);
        Filter("kind", search.Kind);
        Filter("platform", search.Platform);
        Filter("licence_id", search.LicenceId);
        if (search.After is not null)
        {
            where.Add("(created_at, id) < (SELECT created_at, id FROM media_tasks WHERE id = @after)");
            command.AddParameter("@after", search.After);
        }
        command.CommandText = $"""
            SELECT {Columns} FROM media_tasks
            {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
            ORDER BY created_at DESC, id DESC
            LIMIT @limit;
            """;
        command.AddParameter("@limit", search.Limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<MediaTask>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        SelectUntilAsync($"{Active} AND next_poll_at <= @now", "next_poll_at", now, limit, cancellationToken);

    public async Task<IReadOnlyList<MediaTask>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The inner SELECT picks the due rows (in PostgreSQL skipping those another node is claiming right now, and re-checking
        // a row another node claimed since this statement began); the outer WHERE repeats the condition so a row is only ever
        // moved while it is due. In SQLite the statement holds the one write lock from start to end.
        await using var command = connection.Command($"""
            UPDATE media_tasks SET next_poll_at = @lease_until, version = version + 1
            WHERE id IN (
                SELECT id FROM media_tasks WHERE {Active} AND next_poll_at <= @now
                ORDER BY next_poll_at LIMIT @limit{database.Dialect.SkipLocked})
              AND {Active} AND next_poll_at <= @now
            RETURNING {Columns};
            """);
        command.AddParameter("@now", now.ToUnixTimeMilliseconds());
        command.AddParameter("@lease_until", (now + lease).ToUnixTimeMilliseconds());
        command.AddParameter("@limit", limit);
        var claimed = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        // RETURNING keeps no order, and every claimed row now has the same next poll: oldest jobs first, for a stable order.
        claimed.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
        return claimed;
    }

    public Task<IReadOnlyList<MediaTask>> ExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        SelectUntilAsync("expires_at IS NOT NULL AND expires_at <= @now", "expires_at", now, limit, cancellationToken);

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM media_tasks WHERE id = @id;";
        command.AddParameter("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<MediaTaskCount>> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, status, COUNT(*) FROM media_tasks GROUP BY kind, status ORDER BY kind, status;";
        var counts = new List<MediaTaskCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new MediaTaskCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }
        return counts;
    }

    /// <summary>Rows matching <paramref name="where"/> (which compares a time with <c>@now</c>), ordered by that time.</summary>
    private async Task<IReadOnlyList<MediaTask>> SelectUntilAsync(string where, string orderBy, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM media_tasks WHERE {where} ORDER BY {orderBy} LIMIT @limit;";
        command.AddParameter("@now", now.ToUnixTimeMilliseconds());
        command.AddParameter("@limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static void Bind(DbCommand command, MediaTask task)
    {
        command.AddParameter("@id", task.Id);
        command.AddParameter("@kind", task.Kind);
        command.AddParameter("@platform", task.Platform);
        command.AddParameter("@account_id", task.AccountId);
        command.AddParameter("@upstream_id", task.UpstreamId);
        command.AddParameter("@model", task.Model);
        command.AddParameter("@licence_id", task.LicenceId);
        command.AddParameter("@status", task.Status);
        command.AddParameter("@progress", task.Progress);
        command.AddParameter("@created_at", task.CreatedAt.ToUnixTimeMilliseconds());
        command.AddParameter("@updated_at", task.UpdatedAt.ToUnixTimeMilliseconds());
        command.AddParameter("@started_at", task.StartedAt?.ToUnixTimeMilliseconds());
        command.AddParameter("@completed_at", task.CompletedAt?.ToUnixTimeMilliseconds());
        command.AddParameter("@expires_at", task.ExpiresAt?.ToUnixTimeMilliseconds());
        command.AddParameter("@error_code", task.ErrorCode);
        command.AddParameter("@error_message", task.ErrorMessage);
        command.AddParameter("@parameters", task.Parameters);
        command.AddParameter("@results", task.Results);
        command.AddParameter("@next_poll_at", task.NextPollAt.ToUnixTimeMilliseconds());
        command.AddParameter("@poll_count", task.PollCount);
        command.AddParameter("@version", task.Version);
    }

    private static async Task<List<MediaTask>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var tasks = new List<MediaTask>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tasks.Add(new MediaTask
            {
                Id = reader.GetString(0),
                Kind = reader.GetString(1),
                Platform = reader.GetString(2),
                AccountId = Text(reader, 3),
                UpstreamId = Text(reader, 4),
                Model = reader.GetString(5),
                LicenceId = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                Status = reader.GetString(7),
                Progress = reader.GetInt32(8),
                CreatedAt = Time(reader, 9)!.Value,
                UpdatedAt = Time(reader, 10)!.Value,
                StartedAt = Time(reader, 11),
                CompletedAt = Time(reader, 12),
                ExpiresAt = Time(reader, 13),
                ErrorCode = Text(reader, 14),
                ErrorMessage = Text(reader, 15),
                Parameters = reader.GetString(16),
                Results = Text(reader, 17),
                NextPollAt = Time(reader, 18)!.Value,
                PollCount = reader.GetInt32(19),
                Version = reader.GetInt64(20),
            });
        }
        return tasks;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
