using System.Text;
using Manifold.Host.Gateway;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Webhooks;

/// <summary>
/// Sends the outbox's due webhook events in the background, off the poller and every request: each attempt claimed
/// compare-and-set (so several nodes share one outbox), signed the Standard Webhooks way, through the guard against
/// internal addresses (the client-URL client). A 2xx is delivered; otherwise it is tried again after the next wait of
/// <see cref="WebhookOptions.RetrySchedule"/>, and given up after the last. Each attempt is recorded on the row.
/// </summary>
public sealed partial class TaskWebhookDeliverer(
    WebhookDeliveryStore store, TaskWebhooks hooks, WebhookSecret secret, IHttpClientFactory clients, IOptions<WebhookOptions> options,
    TimeProvider time, ILogger<TaskWebhookDeliverer> logger) : BackgroundService
{
    private const int Batch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = clients.CreateClient(GatewayServiceCollectionExtensions.ClientUrlsClientName);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(client, stoppingToken).ConfigureAwait(false);
                await hooks.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly busy: the events wait in the outbox for the next round.
                LogRoundFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One round: every due event, a few at once.</summary>
    public async Task DeliverDueAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var due = await store.DueAsync(time.GetUtcNow(), Batch, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (delivery, ct) => await AttemptAsync(client, delivery, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task AttemptAsync(HttpClient client, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        // Claimed for longer than an attempt can take; a node that dies mid-attempt leaves it to be retried after that.
        var claimed = delivery with { NextAttemptAt = now + settings.Timeout + TimeSpan.FromSeconds(30) };
        if (!await store.TryUpdateAsync(delivery, claimed, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        int? status;
        string? error;
        try
        {
            (status, error) = await WebhookPost.SendAsync(client, delivery.Url, delivery.Id, Encoding.UTF8.GetBytes(delivery.Body), secret.Key,
                now.ToUnixTimeSeconds(), bearer: null, settings.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the attempt did not happen as far as the outbox is concerned. The claim is undone (not
            // left to run out), so the next start, or another node, sends it at once; receivers dedupe on the event id.
            if (await store.TryUpdateAsync(claimed, delivery, CancellationToken.None).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _putBack);
            }
            throw;
        }
        var attempts = delivery.Attempts + 1;
        var after = time.GetUtcNow();
        var retries = settings.Retries;
        var next = error is null
            ? claimed with { Attempts = attempts, LastStatus = status, LastError = null, DeliveredAt = after, NextAttemptAt = null }
            : claimed with { Attempts = attempts, LastStatus = status, LastError = error, NextAttemptAt = attempts <= retries.Count ? after + retries[attempts - 1] : null };
        if (!await store.TryUpdateAsync(claimed, next, CancellationToken.None).ConfigureAwait(false))
        {
            return;
        }
        if (error is null)
        {
            LogDelivered(delivery.Event, delivery.TaskId, attempts);
        }
        else if (next.NextAttemptAt is null)
        {
            LogGaveUp(delivery.Event, delivery.TaskId, WebhookDeliveryView.Where(delivery.Url), error, attempts);
        }
    }

    private int _putBack;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { } running)
        {
            // Even past the host's shutdown timeout, the attempts in flight get a moment to undo their claims.
            await running.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        LogStopped(Volatile.Read(ref _putBack));
    }

    [LoggerMessage(4, LogLevel.Information, "Shutdown: webhook deliverer stopped; {Count} deliveries in flight put back in the outbox")]
    private partial void LogStopped(int count);

    [LoggerMessage(1, LogLevel.Warning, "Delivering task webhooks failed; trying again shortly")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Webhook {Event} of task {TaskId} delivered (attempt {Attempts})")]
    private partial void LogDelivered(string @event, string? taskId, int attempts);

    [LoggerMessage(3, LogLevel.Warning, "Webhook {Event} of task {TaskId} to {Url} failed ({Failure}) after {Attempts} attempts; it is given up")]
    private partial void LogGaveUp(string @event, string? taskId, string url, string failure, int attempts);
}
