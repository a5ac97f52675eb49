using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Manifold.Contracts;
using Manifold.Host.Tasks;
using Manifold.Host.Tasks.Generations;

namespace Manifold.Host.Webhooks;

/// <summary>
/// A task's <c>notify_hook</c>: when a job that has one changes (<see cref="OnChangedAsync"/>, called where the job's row
/// is written), the event is written to the outbox with the task object as it now stands, and
/// <see cref="TaskWebhookDeliverer"/> is woken to send it. Every terminal state is an event; with <c>notify_progress</c>
/// every change of status or progress is too. Nothing here waits on the receiver.
/// </summary>
public sealed partial class TaskWebhooks(WebhookDeliveryStore store, TimeProvider time, IConfiguration configuration, ILogger<TaskWebhooks> logger)
{
    /// <summary><c>Manifold__Network__AllowPrivateAddresses</c>: hooks on internal addresses are accepted (development and tests).</summary>
    public bool AllowPrivateAddresses { get; } = configuration.GetValue<bool>("Manifold:Network:AllowPrivateAddresses");

    public const string Succeeded = "task.succeeded";
    public const string Failed = "task.failed";
    public const string Progress = "task.progress";

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public WebhookDeliveryStore Store { get; } = store;

    internal async Task OnChangedAsync(MediaTasks tasks, MediaTask before, MediaTask after, CancellationToken cancellationToken)
    {
        try
        {
            if (GenerationTask.OriginOf(after) is not { NotifyHook: { } url } origin)
            {
                return;
            }
            var finished = after.IsTerminal && !before.IsTerminal;
            var moved = !after.IsTerminal && (after.Status != before.Status || after.Progress != before.Progress);
            if (!finished && !(moved && origin.NotifyProgress))
            {
                return;
            }
            var body = JsonSerializer.Serialize(GenerationTask.From(after, tasks, origin.PublicBase ?? ""), ManifoldJson.Options);
            var now = time.GetUtcNow();
            await Store.InsertAsync(new WebhookDelivery
            {
                Id = "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                TaskId = after.Id,
                Event = finished ? (after.Status == MediaTaskStatus.Completed ? Succeeded : Failed) : Progress,
                Url = url,
                Body = body,
                CreatedAt = now,
                NextAttemptAt = now,
            }, cancellationToken).ConfigureAwait(false);
            _wake.Writer.TryWrite(true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The job's own change is written already; a lost event must not undo or stall it.
            LogEnqueueFailed(ex, after.Id);
        }
    }

    /// <summary>The record a task's detail shows: each event's delivery, oldest first.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>> RecordAsync(string taskId, CancellationToken cancellationToken) =>
        [.. (await Store.ForTaskAsync(taskId, cancellationToken).ConfigureAwait(false)).Select(WebhookDeliveryView.From)];

    /// <summary>Waits until an event is written or <paramref name="timeout"/> passes (for the deliverer).</summary>
    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(1, LogLevel.Error, "Could not record the webhook event of task {Id}")]
    private partial void LogEnqueueFailed(Exception exception, string id);
}
