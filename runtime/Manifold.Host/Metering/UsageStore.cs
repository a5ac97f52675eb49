using System.Data.Common;
using Manifold.Host.Storage;

namespace Manifold.Host.Metering;

/// <summary>
/// The write side of metering: a batch of priced records into <c>request_log</c> and the hourly <c>usage</c> totals in one
/// transaction, the totals read back at startup, and the log pruned. Plain ADO.NET with <c>@name</c> parameters and SQL
/// that PostgreSQL reads as well (<c>INSERT … ON CONFLICT … DO UPDATE</c>, no engine-only functions).
/// </summary>
public sealed class UsageStore(Database database)
{
    private const long HourMs = 3_600_000;

    /// <summary>One record with the cost the writer priced it at.</summary>
    public readonly record struct Priced(UsageRecord Record, double Cost);

    /// <param name="log">Whether the records go into the request log too (not when its retention is zero).</param>
    public async Task WriteAsync(IReadOnlyList<Priced> batch, bool log, CancellationToken cancellationToken)
    {
        // As DbConnection: the statements below are the provider-neutral ADO.NET that PostgreSQL's will run as well.
        await using DbConnection connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        if (log && connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            // Synchronous on purpose: this is the writer's own thread, and SQLite's async calls only wrap the sync ones.
            SqliteRequestLog.Write(sqlite, batch);
        }
        else if (log)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO request_log (created_at, licence_id, platform, account_id, model, protocol, operation, status, error_code, request_id,
                                         input_tokens, output_tokens, total_tokens, images, video_seconds, cost, usage_source, latency_ms, overhead_ms)
                VALUES (@created_at, @licence_id, @platform, @account_id, @model, @protocol, @operation, @status, @error_code, @request_id,
                        @input_tokens, @output_tokens, @total_tokens, @images, @video_seconds, @cost, @usage_source, @latency_ms, @overhead_ms);
                """;
            var p = Parameters(insert, "@created_at", "@licence_id", "@platform", "@account_id", "@model", "@protocol", "@operation", "@status", "@error_code",
                "@request_id", "@input_tokens", "@output_tokens", "@total_tokens", "@images", "@video_seconds", "@cost", "@usage_source", "@latency_ms", "@overhead_ms");
            // PostgreSQL: one statement a row, prepared once, in the batch's transaction.
            foreach (var priced in batch)
            {
                Bind(p, priced);
                insert.ExecuteNonQuery();
            }
        }

        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO usage (hour, licence_id, platform, model, requests, errors, input_tokens, output_tokens, total_tokens, images, video_seconds, cost)
                VALUES (@hour, @licence_id, @platform, @model, @requests, @errors, @input_tokens, @output_tokens, @total_tokens, @images, @video_seconds, @cost)
                ON CONFLICT (hour, licence_id, platform, model) DO UPDATE SET
                    requests = usage.requests + excluded.requests,
                    errors = usage.errors + excluded.errors,
                    input_tokens = usage.input_tokens + excluded.input_tokens,
                    output_tokens = usage.output_tokens + excluded.output_tokens,
                    total_tokens = usage.total_tokens + excluded.total_tokens,
                    images = usage.images + excluded.images,
                    video_seconds = usage.video_seconds + excluded.video_seconds,
                    cost = usage.cost + excluded.cost;
                """;
            var p = Parameters(upsert, "@hour", "@licence_id", "@platform", "@model", "@requests", "@errors", "@input_tokens", "@output_tokens",
                "@total_tokens", "@images", "@video_seconds", "@cost");
            foreach (var (key, sum) in Totals(batch))
            {
                Set(p, key.Hour, key.LicenceId, key.Platform, key.Model, sum.Requests, sum.Errors, sum.InputTokens, sum.OutputTokens, sum.TotalTokens,
                    sum.Images, sum.VideoSeconds, sum.Cost);
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Per licence: successful requests, tokens and cost, as recorded (for <see cref="UsageLedger"/> at startup).</summary>
    public async Task<IReadOnlyList<(long LicenceId, long Requests, long Tokens, double Cost)>> TotalsByLicenceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT licence_id, SUM(requests - errors), SUM(total_tokens), SUM(cost) FROM usage GROUP BY licence_id;";
        var totals = new List<(long, long, long, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            totals.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3)));
        }
        return totals;
    }

    /// <summary>As <see cref="TotalsByLicenceAsync(CancellationToken)"/>, for some licences only (the ones with a quota, every few seconds).</summary>
    public async Task<IReadOnlyList<(long LicenceId, long Requests, long Tokens, double Cost)>> TotalsByLicenceAsync(
        IReadOnlyList<long> licenceIds, CancellationToken cancellationToken)
    {
        var totals = new List<(long, long, long, double)>();
        if (licenceIds.Count == 0)
        {
            return totals;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // One parameter per licence (both engines read IN lists; only PostgreSQL has arrays); the usage_by_licence index serves it.
        var names = new string[licenceIds.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = "@l" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.AddParameter(names[i], licenceIds[i]);
        }
        command.CommandText = $"""
            SELECT licence_id, SUM(requests - errors), SUM(total_tokens), SUM(cost) FROM usage
            WHERE licence_id IN ({string.Join(", ", names)}) GROUP BY licence_id;
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            totals.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3)));
        }
        return totals;
    }

    /// <summary>Deletes the log's requests older than <paramref name="before"/>, a few thousand per statement so no write waits long.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        const int Chunk = 5_000;
        var deleted = 0;
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE created_at < @before ORDER BY id LIMIT @chunk);
                """;
            Set(Parameters(command, "@before", "@chunk"), before.ToUnixTimeMilliseconds(), Chunk);
            var count = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            deleted += count;
            if (count < Chunk)
            {
                return deleted;
            }
        }
    }

    /// <summary>One record into the log statement's parameters, value by value (no array of boxes per row).</summary>
    private static void Bind(DbParameter[] p, Priced priced)
    {
        var (r, cost) = priced;
        p[0].Value = r.Time;
        p[1].Value = r.LicenceId;
        p[2].Value = (object?)r.Platform ?? DBNull.Value;
        p[3].Value = (object?)r.AccountId ?? DBNull.Value;
        p[4].Value = (object?)r.Model ?? DBNull.Value;
        p[5].Value = r.Protocol;
        p[6].Value = r.Operation;
        p[7].Value = r.Status;
        p[8].Value = (object?)r.ErrorCode ?? DBNull.Value;
        p[9].Value = (object?)r.RequestId ?? DBNull.Value;
        p[10].Value = r.InputTokens;
        p[11].Value = r.OutputTokens;
        p[12].Value = r.TotalTokens;
        p[13].Value = r.Images;
        p[14].Value = r.VideoSeconds;
        p[15].Value = cost;
        p[16].Value = UsageRecords.SourceName(r.Source);
        p[17].Value = Math.Round(r.LatencyMs, 3);
        p[18].Value = Math.Round(r.OverheadMs, 3);
    }

    private readonly record struct TotalKey(long Hour, long LicenceId, string Platform, string Model);

    private sealed class Sum
    {
        public long Requests, Errors, InputTokens, OutputTokens, TotalTokens, Images;
        public double VideoSeconds, Cost;
    }

    /// <summary>The batch's billable records summed per hour, licence, platform and model: one upsert each.</summary>
    private static Dictionary<TotalKey, Sum> Totals(IReadOnlyList<Priced> batch)
    {
        var totals = new Dictionary<TotalKey, Sum>();
        foreach (var (r, cost) in batch)
        {
            if (!r.Billable)
            {
                continue;
            }
            var key = new TotalKey(r.Time - r.Time % HourMs, r.LicenceId, r.Platform ?? "", r.Model ?? "");
            if (!totals.TryGetValue(key, out var sum))
            {
                totals[key] = sum = new Sum();
            }
            if (r.CountsRequest)
            {
                sum.Requests++;
                sum.Errors += r.Failed ? 1 : 0;
            }
            sum.InputTokens += r.InputTokens;
            sum.OutputTokens += r.OutputTokens;
            sum.TotalTokens += r.TotalTokens;
            sum.Images += r.Images;
            sum.VideoSeconds += r.VideoSeconds;
            sum.Cost += cost;
        }
        return totals;
    }

    private static DbParameter[] Parameters(DbCommand command, params string[] names)
    {
        var parameters = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = names[i];
            command.Parameters.Add(parameters[i]);
        }
        return parameters;
    }

    private static void Set(DbParameter[] parameters, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
