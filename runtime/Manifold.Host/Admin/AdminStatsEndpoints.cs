using Manifold.Host.Metering;
using Microsoft.AspNetCore.Mvc;

namespace Manifold.Host.Admin;

/// <summary>
/// <c>/admin/api/stats</c>: the request log as a time series (the console's dashboard charts). The usage totals are hourly
/// and carry no latency, so the series is summed from the log's rows.
/// </summary>
internal static class AdminStatsEndpoints
{
    /// <summary>More points than this would not fit a chart and would make a wide window expensive: ask for a larger bucket.</summary>
    private const int MaxBuckets = 1_500;

    private static readonly Dictionary<string, TimeSpan> Buckets = new(StringComparer.Ordinal)
    {
        ["minute"] = TimeSpan.FromMinutes(1),
        ["hour"] = TimeSpan.FromHours(1),
        ["day"] = TimeSpan.FromDays(1),
    };

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/stats", ReadAsync).WithTags("Usage")
            .Produces<SeriesView>()
            .Produces<AdminError>(StatusCodes.Status400BadRequest)
            .WithSummary("Requests, errors, tokens, cost and latency per minute, hour or day over [from, to) (the last 24 hours by default), from the request log.");
    }

    private static async Task<IResult> ReadAsync(
        HttpRequest request, RequestSeries series, TimeProvider time, CancellationToken cancellationToken,
        [FromQuery] string? from = null, [FromQuery] string? to = null, [FromQuery] string? bucket = null,
        [FromQuery(Name = "licence_id")] string? licenceId = null, [FromQuery] string? platform = null)
    {
        try
        {
            var query = new AdminQuery(request, "from", "to", "bucket", "licence_id", "platform");
            var end = query.Time("to") ?? time.GetUtcNow();
            var start = query.Time("from") ?? end - TimeSpan.FromHours(24);
            if (start >= end)
            {
                throw new AdminQuery.Invalid("from", "'from' must be before 'to'.");
            }
            // By default the finest bucket that keeps the chart under a few hundred points.
            var name = query.OneOf("bucket", [.. Buckets.Keys])
                ?? ((end - start) <= TimeSpan.FromHours(6) ? "minute" : (end - start) <= TimeSpan.FromDays(14) ? "hour" : "day");
            var size = Buckets[name];
            if ((end - start) / size > MaxBuckets)
            {
                throw new AdminQuery.Invalid("bucket", $"That window has more than {MaxBuckets} {name}s; choose a larger bucket or a shorter window.");
            }
            return Results.Json(await series.ReadAsync(start, end, size, query.Id("licence_id"), query.Text("platform"), name, cancellationToken), AdminJson.Options);
        }
        catch (AdminQuery.Invalid invalid)
        {
            return AdminErrors.BadRequest(invalid.Message, invalid.Param);
        }
    }
}
