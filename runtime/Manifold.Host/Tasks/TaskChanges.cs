namespace Manifold.Host.Tasks;

/// <summary>
/// What follows a job's written change, wherever it is written (the poller, a client's read-through, an image run): the
/// job is metered once when it finishes (<see cref="JobMetering"/>), and its webhook, if it has one, gets the event.
/// </summary>
internal static class TaskChanges
{
    public static async Task ChangedAsync(this MediaTasks tasks, MediaTask before, MediaTask after, CancellationToken cancellationToken)
    {
        tasks.Finished(before, after);
        if (tasks.Webhooks is { } webhooks)
        {
            await webhooks.OnChangedAsync(tasks, before, after, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The deliveries of a job's webhook, for its detail; null (and no query) when the job has no webhook.</summary>
    public static async Task<IReadOnlyList<Webhooks.WebhookDeliveryView>?> WebhookRecordAsync(this MediaTasks tasks, MediaTask job, CancellationToken cancellationToken) =>
        tasks.Webhooks is { } webhooks && Generations.GenerationTask.OriginOf(job)?.NotifyHook is not null
            ? await webhooks.RecordAsync(job.Id, cancellationToken).ConfigureAwait(false)
            : null;
}
