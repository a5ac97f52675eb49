using System.Data.Common;
using System.Globalization;
using System.Text;
using Manifold.Host.Licences;
using Manifold.Host.Storage;

namespace Manifold.Host.Metering;

/// <summary>
/// The read side of metering, for the admin API: the hourly totals summed over a range, and a page of the request log.
/// Filters become <c>@name</c> parameters, never text in the SQL; the SQL is what SQLite and PostgreSQL both read.
/// </summary>
public sealed class UsageQueries(Database database, ILicenceStore licences)
{
    private const long HourMs = 3_600_000;
    private const long DayMs = 24 * HourMs;

    public const string ByDay = "day";
    public const string ByHour = "hour";

    public async Task<IReadOnlyList<UsageRow>> UsageAsync(UsageFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("WHERE 1 = 1");
        Common(command, where, filter.LicenceId, filter.Platform, filter.Model);
        if (filter.From is { } from)
        {
            // An hour's row counts when its hour starts in the range: a from inside an hour takes that whole hour.
            var ms = from.ToUnixTimeMilliseconds();
            where.Append(" AND hour >= @from");
            command.AddParameter("@from", ms - Mod(ms, HourMs));
        }
        if (filter.To is { } to)
        {
            where.Append(" AND hour < @to");
            command.AddParameter("@to", to.ToUnixTimeMilliseconds());
        }
        var period = filter.GroupBy switch
        {
            ByDay => $"hour - hour % {DayMs}",
            ByHour => "hour",
            _ => null,
        };
        var select = period is null ? "" : $"{period}, ";
        command.CommandText = $"""
            SELECT {select}licence_id, platform, model, SUM(requests), SUM(errors), SUM(input_tokens), SUM(output_tokens), SUM(total_tokens),
                   SUM(images), SUM(video_seconds), SUM(cost)
            FROM usage {where}
            GROUP BY {select}licence_id, platform, model
            ORDER BY {select}licence_id, platform, model;
            """;
        var names = (await licences.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(static l => l.Id, static l => l.Name);
        var rows = new List<UsageRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var o = period is null ? 0 : 1;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var licenceId = reader.GetInt64(o);
            rows.Add(new UsageRow(licenceId, names.GetValueOrDefault(licenceId), reader.GetString(o + 1), reader.GetString(o + 2), reader.GetInt64(o + 3),
                reader.GetInt64(o + 4), reader.GetInt64(o + 5), reader.GetInt64(o + 6), reader.GetInt64(o + 7), reader.GetInt64(o + 8),
                reader.GetDouble(o + 9), Math.Round(reader.GetDouble(o + 10), 9))
            {
                Period = period is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
            });
        }
        return rows;
    }

    /// <summary>A page of the log, newest first; one more row than <see cref="RequestFilter.Limit"/> is read to tell whether there are more.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> RequestsAsync(RequestFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("WHERE 1 = 1");
        Common(command, where, filter.LicenceId, filter.Platform, filter.Model);
        if (filter.AccountId is { } account)
        {
            where.Append(" AND account_id = @account_id");
            command.AddParameter("@account_id", account);
        }
        if (filter.Operation is { } operation)
        {
            where.Append(" AND operation = @operation");
            command.AddParameter("@operation", operation);
        }
        if (filter.RequestId is { } requestId)
        {
            where.Append(" AND request_id = @request_id");
            command.AddParameter("@request_id", requestId);
        }
        if (filter.Status is { } status)
        {
            if (status == "error")
            {
                where.Append(" AND (status >= 400 OR error_code IS NOT NULL)");
            }
            else if (status.Length == 3 && status.EndsWith("xx", StringComparison.Ordinal))
            {
                where.Append(" AND status >= @status_from AND status < @status_to");
                var hundreds = (status[0] - '0') * 100;
                command.AddParameter("@status_from", hundreds);
                command.AddParameter("@status_to", hundreds + 100);
            }
            else
            {
                where.Append(" AND status = @status");
                command.AddParameter("@status", int.Parse(status, CultureInfo.InvariantCulture));
            }
        }
        if (filter.From is { } from)
        {
            where.Append(" AND created_at >= @from");
            command.AddParameter("@from", from.ToUnixTimeMilliseconds());
        }
        if (filter.To is { } to)
        {
            where.Append(" AND created_at < @to");
            command.AddParameter("@to", to.ToUnixTimeMilliseconds());
        }
        if (filter.After is { } after)
        {
            where.Append(" AND id < @after");
            command.AddParameter("@after", after);
        }
        command.CommandText = $"""
            SELECT id, created_at, licence_id, platform, account_id, model, protocol, operation, status, error_code, request_id,
                   input_tokens, output_tokens, total_tokens, images, video_seconds, cost, usage_source, latency_ms, overhead_ms
            FROM request_log {where}
            ORDER BY id DESC
            LIMIT @limit;
            """;
        command.AddParameter("@limit", filter.Limit + 1);
        var rows = new List<LoggedRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new LoggedRequest(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt64(2),
                Text(reader, 3), Text(reader, 4), Text(reader, 5), reader.GetString(6), reader.GetString(7), reader.GetInt32(8), Text(reader, 9),
                Text(reader, 10), reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14), reader.GetDouble(15),
                Math.Round(reader.GetDouble(16), 9), reader.GetString(17), reader.GetDouble(18), reader.GetDouble(19)));
        }
        return rows;
    }

    /// <summary>The filters both queries take: licence, platform, and model by name or <c>prefix*</c>.</summary>
    private static void Common(DbCommand command, StringBuilder where, long? licenceId, string? platform, string? model)
    {
        if (licenceId is { } licence)
        {
            where.Append(" AND licence_id = @licence_id");
            command.AddParameter("@licence_id", licence);
        }
        if (platform is not null)
        {
            where.Append(" AND platform = @platform");
            command.AddParameter("@platform", platform);
        }
        if (model is { Length: > 1 } && model.EndsWith('*'))
        {
            // substr rather than LIKE: LIKE ignores case in SQLite and not in PostgreSQL, and would read % and _ in names.
            where.Append(" AND substr(model, 1, @model_length) = @model");
            command.AddParameter("@model", model[..^1]);
            command.AddParameter("@model_length", model.Length - 1);
        }
        else if (model is not null)
        {
            where.Append(" AND model = @model");
            command.AddParameter("@model", model);
        }
    }

    private static long Mod(long value, long by) => ((value % by) + by) % by;

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
