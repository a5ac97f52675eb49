using System.Text.Json;
using Manifold.Host.Webhooks;

namespace Manifold.Host.Tasks.Generations;

/// <summary>
/// Manifold's extension to <c>POST /v1/videos</c> and async <c>/v1/images/…</c>: the /v2 fields <c>notify_hook</c> and
/// <c>notify_progress</c> are taken out of the request's unknown fields (no platform ever sees them), checked as /v2 checks
/// them, and kept with the job, so a /v1 job's webhook works exactly as a /v2 task's.
/// </summary>
internal static class V1Hooks
{
    public static async Task<TaskOrigin?> TakeAsync(MediaTasks tasks, Dictionary<string, JsonElement>? extras, string publicBase, CancellationToken cancellationToken)
    {
        if (extras is null || tasks.Webhooks is not { } webhooks)
        {
            return null;
        }
        var progress = extras.Remove("notify_progress", out var asked) && (asked.ValueKind == JsonValueKind.True
            || (asked.ValueKind == JsonValueKind.String && bool.TryParse(asked.GetString(), out var parsed) && parsed));
        if (!extras.Remove("notify_hook", out var hook))
        {
            return null;
        }
        if (hook.ValueKind != JsonValueKind.String || hook.GetString() is not { Length: > 0 } url)
        {
            throw GenerationFields.Invalid("notify_hook", "'notify_hook' must be a URL string.");
        }
        await WebhookUrls.CheckAsync(url, "notify_hook", webhooks.AllowPrivateAddresses, cancellationToken).ConfigureAwait(false);
        return new TaskOrigin(null, url, progress, publicBase);
    }
}
