using System.Data.Common;
using Manifold.Host.Storage;

namespace Manifold.Host.Webhooks;

/// <summary>
/// The webhook outbox (<c>webhook_deliveries</c>, migration 6). Every write is one statement; an attempt is claimed
/// compare-and-set on the row's <c>next_attempt_at</c> and <c>attempts</c>, so two nodes never send one attempt twice.
/// </summary>
public sealed class WebhookDeliveryStore(Database database)
{
    private const string Columns = "id, task_id, event, url, body, created_at, next_attempt_at, attempts, last_status, last_error, delivered_at";

    public async Task InsertAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO webhook_deliveries ({Columns})
            VALUES (@id, @task_id, @event, @url, @body, @created_at, @next_attempt_at, @attempts, @last_status, @last_error, @delivered_at);
            """;
        Bind(command, delivery);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deliveries whose next attempt is due, soonest first.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT @limit;";
        command.AddParameter("@now", now.ToUnixTimeMilliseconds());
        command.AddParameter("@limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A task's deliveries, oldest first.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ForTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM webhook_deliveries WHERE task_id = @task_id ORDER BY created_at, id;";
        command.AddParameter("@task_id", taskId);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <paramref name="next"/> if the row still stands as <paramref name="seen"/> left it (the same next attempt and
    /// attempt count); false when another node moved it first.
    /// </summary>
    public async Task<bool> TryUpdateAsync(WebhookDelivery seen, WebhookDelivery next, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE webhook_deliveries SET
                next_attempt_at = @next_attempt_at, attempts = @attempts, last_status = @last_status, last_error = @last_error, delivered_at = @delivered_at
            WHERE id = @id AND attempts = @seen_attempts AND next_attempt_at IS NOT DISTINCT FROM @seen_next;
            """;
        Bind(command, next);
        command.AddParameter("@seen_attempts", seen.Attempts);
        command.AddParameter("@seen_next", seen.NextAttemptAt?.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static void Bind(DbCommand command, WebhookDelivery delivery)
    {
        command.AddParameter("@id", delivery.Id);
        command.AddParameter("@task_id", delivery.TaskId);
        command.AddParameter("@event", delivery.Event);
        command.AddParameter("@url", delivery.Url);
        command.AddParameter("@body", delivery.Body);
        command.AddParameter("@created_at", delivery.CreatedAt.ToUnixTimeMilliseconds());
        command.AddParameter("@next_attempt_at", delivery.NextAttemptAt?.ToUnixTimeMilliseconds());
        command.AddParameter("@attempts", delivery.Attempts);
        command.AddParameter("@last_status", delivery.LastStatus);
        command.AddParameter("@last_error", delivery.LastError);
        command.AddParameter("@delivered_at", delivery.DeliveredAt?.ToUnixTimeMilliseconds());
    }

    private static async Task<List<WebhookDelivery>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var deliveries = new List<WebhookDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            deliveries.Add(new WebhookDelivery
            {
                Id = reader.GetString(0),
                TaskId = reader.IsDBNull(1) ? null : reader.GetString(1),
                Event = reader.GetString(2),
                Url = reader.GetString(3),
                Body = reader.GetString(4),
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                NextAttemptAt = reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                Attempts = reader.GetInt32(7),
                LastStatus = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                LastError = reader.IsDBNull(9) ? null : reader.GetString(9),
                DeliveredAt = reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
            });
        }
        return deliveries;
    }
}
