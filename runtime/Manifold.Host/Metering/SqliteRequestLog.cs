using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Manifold.Host.Metering;

/// <summary>
/// The request log's rows written straight through SQLite's C API on the writer's connection and transaction: one statement
/// prepared per batch, its 19 values bound by position. Through <see cref="SqliteCommand"/> each row boxed every value and
/// bound every parameter by name (SQLite looks a name up by scanning the statement's names), which measured as the largest
/// share of what metering costs a request; this is a fraction of it, and allocates nothing a row.
/// </summary>
internal static class SqliteRequestLog
{
    private const string Insert = """
        INSERT INTO request_log (created_at, licence_id, platform, account_id, model, protocol, operation, status, error_code, request_id,
                                 input_tokens, output_tokens, total_tokens, images, video_seconds, cost, usage_source, latency_ms, overhead_ms)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19);
        """;

    /// <summary>Writes <paramref name="batch"/> into <c>request_log</c>, inside the transaction the caller holds on <paramref name="connection"/>.</summary>
    public static void Write(SqliteConnection connection, IReadOnlyList<UsageStore.Priced> batch)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(db, raw.sqlite3_prepare_v2(db, Insert, out var statement));
        using (statement)
        {
            foreach (var (r, cost) in batch)
            {
                raw.sqlite3_bind_int64(statement, 1, r.Time);
                raw.sqlite3_bind_int64(statement, 2, r.LicenceId);
                Text(statement, 3, r.Platform);
                Text(statement, 4, r.AccountId);
                Text(statement, 5, r.Model);
                Text(statement, 6, r.Protocol);
                Text(statement, 7, r.Operation);
                raw.sqlite3_bind_int64(statement, 8, r.Status);
                Text(statement, 9, r.ErrorCode);
                Text(statement, 10, r.RequestId);
                raw.sqlite3_bind_int64(statement, 11, r.InputTokens);
                raw.sqlite3_bind_int64(statement, 12, r.OutputTokens);
                raw.sqlite3_bind_int64(statement, 13, r.TotalTokens);
                raw.sqlite3_bind_int64(statement, 14, r.Images);
                raw.sqlite3_bind_double(statement, 15, r.VideoSeconds);
                raw.sqlite3_bind_double(statement, 16, cost);
                Text(statement, 17, UsageRecords.SourceName(r.Source));
                raw.sqlite3_bind_double(statement, 18, Math.Round(r.LatencyMs, 3));
                raw.sqlite3_bind_double(statement, 19, Math.Round(r.OverheadMs, 3));
                var step = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (step != raw.SQLITE_DONE)
                {
                    Check(db, step);
                }
            }
        }
    }

    private static void Text(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text(statement, index, value);
        }
    }

    private static void Check(sqlite3 db, int code)
    {
        if (code is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            throw new SqliteException($"SQLite Error {code}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", code);
        }
    }
}
