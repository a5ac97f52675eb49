using Manifold.Host.Metering;
using Microsoft.AspNetCore.Mvc;

namespace Manifold.Host.Admin;

/// <summary>
/// <c>/admin/api/usage</c> (the hourly totals summed by licence, platform and model, optionally per day or hour) and
/// <c>/admin/api/requests</c> (the request log, newest first). Both read what the writer has stored: a request shows up
/// within <c>Manifold__Usage__FlushInterval</c> of its end.
/// </summary>
internal static class AdminUsageEndpoints
{
    private const int DefaultPage = 50;
    private const int MaxPage = 500;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/usage", UsageAsync).WithTags("Usage")
            .Produces<AdminList<UsageRow>>()
            .Produces<AdminError>(StatusCodes.Status400BadRequest)
            .WithSummary("Usage summed by licence, platform and model over [from, to) (all time by default); group_by=day or hour adds a row per period.");
        api.MapGet("/requests", RequestsAsync).WithTags("Usage")
            .Produces<AdminPage<LoggedRequest>>()
            .Produces<AdminError>(StatusCodes.Status400BadRequest)
            .WithSummary("The request log, newest first (kept Manifold__Usage__RequestLogRetention, 7 days by default); page with after=<last_id>.");
    }

    private static async Task<IResult> UsageAsync(
        HttpRequest request, UsageQueries queries, CancellationToken cancellationToken,
        [FromQuery(Name = "licence_id")] string? licenceId = null, [FromQuery] string? platform = null, [FromQuery] string? model = null,
        [FromQuery] string? from = null, [FromQuery] string? to = null, [FromQuery(Name = "group_by")] string? groupBy = null)
    {
        try
        {
            var query = new AdminQuery(request, "licence_id", "platform", "model", "from", "to", "group_by");
            var filter = new UsageFilter(query.Id("licence_id"), query.Text("platform"), query.Model(), query.Time("from"), query.Time("to"),
                query.OneOf("group_by", UsageQueries.ByDay, UsageQueries.ByHour));
            return Results.Json(new AdminList<UsageRow>("list", await queries.UsageAsync(filter, cancellationToken)), AdminJson.Options);
        }
        catch (AdminQuery.Invalid invalid)
        {
            return AdminErrors.BadRequest(invalid.Message, invalid.Param);
        }
    }

    private static async Task<IResult> RequestsAsync(
        HttpRequest request, UsageQueries queries, CancellationToken cancellationToken,
        [FromQuery(Name = "licence_id")] string? licenceId = null, [FromQuery] string? platform = null, [FromQuery] string? model = null,
        [FromQuery(Name = "account_id")] string? accountId = null, [FromQuery] string? operation = null, [FromQuery] string? status = null,
        [FromQuery(Name = "request_id")] string? requestId = null,
        [FromQuery] string? from = null, [FromQuery] string? to = null, [FromQuery] string? limit = null, [FromQuery] string? after = null)
    {
        try
        {
            var query = new AdminQuery(request, "licence_id", "platform", "model", "account_id", "operation", "status", "request_id", "from", "to", "limit", "after");
            var filter = new RequestFilter(query.Id("licence_id"), query.Text("platform"), query.Model(), query.Text("account_id"), query.Text("operation"), Status(query),
                query.Text("request_id"), query.Time("from"), query.Time("to"), query.Id("after"), query.Limit(DefaultPage, MaxPage));
            var rows = await queries.RequestsAsync(filter, cancellationToken);
            var page = rows.Take(filter.Limit).ToList();
            return Results.Json(new AdminPage<LoggedRequest>("list", page, rows.Count > filter.Limit, page.LastOrDefault()?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                AdminJson.Options);
        }
        catch (AdminQuery.Invalid invalid)
        {
            return AdminErrors.BadRequest(invalid.Message, invalid.Param);
        }
    }

    /// <summary>A status code (429), a class (4xx), or <c>error</c> (any error status, or a stream that ended in an error).</summary>
    private static string? Status(AdminQuery query)
    {
        if (query.Text("status") is not { } status)
        {
            return null;
        }
        var valid = status == "error"
            || (status.Length == 3 && status[0] is >= '1' and <= '5' && (status.EndsWith("xx", StringComparison.Ordinal) || status.All(char.IsAsciiDigit)));
        return valid ? status : throw new AdminQuery.Invalid("status", $"'status' must be a status code (429), a class (4xx) or 'error', not '{status}'.");
    }
}

/// <summary><c>{"object": "list", "data": [...], "has_more", "last_id"}</c>: pass <c>last_id</c> as <c>after</c> for the next page.</summary>
public sealed record AdminPage<T>(
    [property: System.Text.Json.Serialization.JsonPropertyName("object")] string Object,
    [property: System.Text.Json.Serialization.JsonPropertyName("data")] IReadOnlyList<T> Data,
    [property: System.Text.Json.Serialization.JsonPropertyName("has_more")] bool HasMore,
    [property: System.Text.Json.Serialization.JsonPropertyName("last_id")] string? LastId);
