using System.Data.Common;
using System.Text.Json.Serialization;
using Manifold.Host.Storage;

namespace Manifold.Host.Metering;

/// <summary>
/// The request log summed per time bucket (a minute, an hour or a day) for the console's charts: requests, errors, tokens,
/// cost, and latency (mean and worst) with Manifold's own overhead. Empty buckets are filled with zeros so a chart's x axis
/// is even. Read from <c>request_log</c>, so it covers what the log keeps (<c>Manifold__Usage__RequestLogRetention</c>).
/// </summary>
public sealed class RequestSeries(Database database)
{
    public async Task<SeriesView> ReadAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, long? licenceId, string? platform,
        string bucketName, CancellationToken cancellationToken)
    {
        var size = (long)bucket.TotalMilliseconds;
        var start = from.ToUnixTimeMilliseconds();
        start -= start % size;
        var end = to.ToUnixTimeMilliseconds();

        await using DbConnection connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = "created_at >= @from AND created_at < @to";
        command.AddParameter("@from", start);
        command.AddParameter("@to", end);
        command.AddParameter("@size", size);
        if (licenceId is { } licence)
        {
            where += " AND licence_id = @licence_id";
            command.AddParameter("@licence_id", licence);
        }
        if (platform is not null)
        {
            where += " AND platform = @platform";
            command.AddParameter("@platform", platform);
        }
        command.CommandText = $"""
            SELECT created_at - created_at % @size AS bucket, COUNT(*),
                   SUM(CASE WHEN status >= 400 OR error_code IS NOT NULL THEN 1 ELSE 0 END),
                   SUM(input_tokens), SUM(output_tokens), SUM(total_tokens), SUM(cost), AVG(latency_ms), MAX(latency_ms), AVG(overhead_ms)
            FROM request_log WHERE {where}
            GROUP BY bucket ORDER BY bucket;
            """;
        var found = new Dictionary<long, SeriesPoint>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var at = reader.GetInt64(0);
                found[at] = new SeriesPoint(DateTimeOffset.FromUnixTimeMilliseconds(at), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.GetInt64(4), reader.GetInt64(5), Math.Round(reader.GetDouble(6), 9), Math.Round(reader.GetDouble(7), 3),
                    Math.Round(reader.GetDouble(8), 3), Math.Round(reader.GetDouble(9), 3));
            }
        }

        var points = new List<SeriesPoint>();
        for (var at = start; at < end; at += size)
        {
            points.Add(found.TryGetValue(at, out var point) ? point : new SeriesPoint(DateTimeOffset.FromUnixTimeMilliseconds(at), 0, 0, 0, 0, 0, 0, 0, 0, 0));
        }
        var requests = points.Sum(static p => p.Requests);
        var totals = new SeriesTotals(requests, points.Sum(static p => p.Errors), points.Sum(static p => p.InputTokens), points.Sum(static p => p.OutputTokens),
            points.Sum(static p => p.TotalTokens), Math.Round(points.Sum(static p => p.Cost), 9),
            requests == 0 ? 0 : Math.Round(points.Sum(static p => p.LatencyMsAvg * p.Requests) / requests, 3),
            points.Count == 0 ? 0 : points.Max(static p => p.LatencyMsMax));
        return new SeriesView("stats.series", bucketName, DateTimeOffset.FromUnixTimeMilliseconds(start), to, totals, points);
    }
}

/// <summary><c>GET /admin/api/stats</c>'s answer: the window's totals and one point per bucket, oldest first.</summary>
public sealed record SeriesView(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("from")] DateTimeOffset From,
    [property: JsonPropertyName("to")] DateTimeOffset To,
    [property: JsonPropertyName("totals")] SeriesTotals Totals,
    [property: JsonPropertyName("data")] IReadOnlyList<SeriesPoint> Data);

public sealed record SeriesTotals(
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    [property: JsonPropertyName("cost")] double Cost,
    [property: JsonPropertyName("latency_ms_avg")] double LatencyMsAvg,
    [property: JsonPropertyName("latency_ms_max")] double LatencyMsMax);

/// <summary>One bucket, named by its start.</summary>
public sealed record SeriesPoint(
    [property: JsonPropertyName("start")] DateTimeOffset Start,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    [property: JsonPropertyName("cost")] double Cost,
    [property: JsonPropertyName("latency_ms_avg")] double LatencyMsAvg,
    [property: JsonPropertyName("latency_ms_max")] double LatencyMsMax,
    [property: JsonPropertyName("overhead_ms_avg")] double OverheadMsAvg);
