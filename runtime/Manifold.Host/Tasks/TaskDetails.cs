using System.Text.Json;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Tasks;

/// <summary>
/// The seeds' <c>detail</c> of a job (<c>?detail=true</c> on <c>GET /v1/videos/{id}</c> and <c>GET /v1/images/{task_id}</c>):
/// its metadata as Manifold keeps it, for a client that wants more than the API's object. The account that made it is left
/// out on purpose: which upstream credential served a caller is the operator's business, not the caller's.
/// </summary>
internal static class TaskDetails
{
    /// <param name="publicBase">Where the client reached the gateway, so each stored file's link works from there.</param>
    /// <param name="webhooks">The deliveries of the job's webhook (<see cref="TaskChanges.WebhookRecordAsync"/>), when it has one.</param>
    public static JsonElement For(MediaTask job, MediaTasks tasks, string publicBase, IReadOnlyList<Webhooks.WebhookDeliveryView>? webhooks = null)
    {
        var results = StoredResult.FromJson(job.Results);
        var detail = new Dictionary<string, object?>
        {
            ["platform"] = job.Platform,
            ["kind"] = job.Kind,
            ["upstream_id"] = job.UpstreamId,
            ["status"] = job.Status,
            ["progress"] = job.Status == MediaTaskStatus.Completed ? 100 : job.Progress,
            ["parameters"] = Parameters(job.Parameters),
            ["created_at"] = job.CreatedAt.ToUnixTimeSeconds(),
            ["started_at"] = job.StartedAt?.ToUnixTimeSeconds(),
            ["updated_at"] = job.UpdatedAt.ToUnixTimeSeconds(),
            ["completed_at"] = job.CompletedAt?.ToUnixTimeSeconds(),
            ["expires_at"] = job.ExpiresAt?.ToUnixTimeSeconds(),
            ["polls"] = job.PollCount,
            ["error"] = job.Status == MediaTaskStatus.Failed ? new { code = job.ErrorCode ?? "failed", message = job.ErrorMessage } : null,
            // A running job's last poll that failed (the upstream briefly down) is worth seeing; it is not the job's failure.
            ["last_poll_error"] = job.Status != MediaTaskStatus.Failed ? job.ErrorMessage : null,
            ["results"] = results.Select(r => new
            {
                variant = r.Variant,
                content_type = r.ContentType,
                bytes = r.Length,
                url = publicBase + tasks.Links.PathFor(r.Key),
            }).ToList(),
        };
        if (webhooks is not null)
        {
            detail["webhooks"] = webhooks;
        }
        return JsonSerializer.SerializeToElement(detail);
    }

    /// <summary>
    /// What the job was asked for, less what only Manifold needs (the request it replays, the stored inputs' keys): the
    /// prompt and options a client recognises.
    /// </summary>
    private static JsonElement? Parameters(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return document.RootElement.Clone();
        }
        var visible = new Dictionary<string, JsonElement>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name is not ("request" or "inputs"))
            {
                visible[property.Name] = property.Value.Clone();
            }
        }
        return JsonSerializer.SerializeToElement(visible);
    }
}
