using System.Text.Json;
using System.Text.Json.Serialization;
using Manifold.Host.Tasks;
using Manifold.Host.Tasks.Videos;
using Microsoft.AspNetCore.Mvc;

namespace Manifold.Host.Admin;

/// <summary>
/// <c>/admin/api/tasks</c>: every licence's media jobs (images and videos), newest first, with what they were asked for and
/// signed links to their results, so the console can preview them without a licence.
/// </summary>
internal static class AdminTaskEndpoints
{
    private static readonly string[] Statuses = [MediaTaskStatus.Queued, MediaTaskStatus.InProgress, MediaTaskStatus.Completed, MediaTaskStatus.Failed];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/tasks", ListAsync).WithTags("Tasks")
            .Produces<AdminPage<AdminTaskView>>()
            .Produces<AdminError>(StatusCodes.Status400BadRequest)
            .WithSummary("Media jobs of every licence, newest first, filtered by status, kind, platform and licence; page with after=<last_id>.");
    }

    private static async Task<IResult> ListAsync(
        HttpRequest request, MediaTasks tasks, CancellationToken cancellationToken,
        [FromQuery] string? status = null, [FromQuery] string? kind = null, [FromQuery] string? platform = null,
        [FromQuery(Name = "licence_id")] string? licenceId = null, [FromQuery] string? limit = null, [FromQuery] string? after = null)
    {
        try
        {
            var query = new AdminQuery(request, "status", "kind", "platform", "licence_id", "limit", "after");
            var size = query.Limit(50, 500);
            var search = new TaskSearch(query.OneOf("status", Statuses), query.OneOf("kind", MediaKinds.Image, MediaKinds.Video), query.Text("platform"),
                query.Id("licence_id"), query.Text("after"), size + 1);
            var found = await tasks.Store.SearchAsync(search, cancellationToken);
            var publicBase = $"{request.Scheme}://{request.Host}{request.PathBase}";
            var page = new List<AdminTaskView>(Math.Min(found.Count, size));
            foreach (var job in found.Take(size))
            {
                // A job with a webhook shows its deliveries (one small query each; jobs without one cost nothing).
                page.Add(AdminTaskView.From(job, tasks, publicBase) with { Webhooks = await tasks.WebhookRecordAsync(job, cancellationToken) });
            }
            return Results.Json(new AdminPage<AdminTaskView>("list", page, found.Count > size, page.LastOrDefault()?.Id), AdminJson.Options);
        }
        catch (AdminQuery.Invalid invalid)
        {
            return AdminErrors.BadRequest(invalid.Message, invalid.Param);
        }
    }
}

/// <summary>A media job as the operator sees it: whose, where, how it stands, what it was asked, and links to what it made.</summary>
public sealed record AdminTaskView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("licence_id")] long? LicenceId,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("progress")] int Progress,
    [property: JsonPropertyName("prompt")] string? Prompt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("error")] AdminTaskError? Error,
    [property: JsonPropertyName("results")] IReadOnlyList<AdminTaskResult> Results)
{
    /// <summary>The deliveries of the job's <c>notify_hook</c>, when it has one: attempts, last status, delivered_at.</summary>
    [JsonPropertyName("webhooks")]
    public IReadOnlyList<Webhooks.WebhookDeliveryView>? Webhooks { get; init; }

    internal static AdminTaskView From(MediaTask job, MediaTasks tasks, string publicBase) => new(
        job.Id, job.Kind, job.LicenceId, job.Platform, job.AccountId, job.Model, job.Status,
        job.Status == MediaTaskStatus.Completed ? 100 : job.Progress,
        PromptOf(job.Parameters), job.CreatedAt, job.CompletedAt, job.ExpiresAt,
        job.Status == MediaTaskStatus.Failed ? new AdminTaskError(job.ErrorCode ?? "failed", job.ErrorMessage) : null,
        [.. StoredResult.FromJson(job.Results).Select(r => new AdminTaskResult(r.Variant, r.ContentType, r.Length, publicBase + tasks.Links.PathFor(r.Key)))]);

    private static string? PromptOf(string parameters)
    {
        try
        {
            using var document = JsonDocument.Parse(parameters);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("prompt", out var prompt)
                && prompt.ValueKind == JsonValueKind.String ? prompt.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record AdminTaskError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>One stored result, with a signed link that works without a licence until it expires (<c>Manifold__Media__LinkLifetime</c>).</summary>
public sealed record AdminTaskResult(
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("url")] string Url);
