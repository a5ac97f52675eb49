using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Webhooks;

/// <summary>
/// Delivers events to <c>Manifold__Webhooks__Url</c> in the background, as the seeds' gateways do: a POST of
/// <c>{"topic": …, "data": {…}}</c>. Raising an event only queues it (a bounded queue; when full the event is dropped and
/// logged), so no request ever waits on the operator's endpoint. A failed delivery is tried three times in all. Each is
/// signed as tasks' webhooks are (<see cref="WebhookPost"/>), with the same <c>webhook-id</c> on every try.
/// </summary>
public sealed partial class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, WebhookSecret secret, ILogger<WebhookSender> logger) : BackgroundService
{
    public const string ClientName = "manifold-webhooks";

    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    private readonly Channel<WebhookEvent> _events = Channel.CreateBounded<WebhookEvent>(new BoundedChannelOptions(1_000)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public bool Enabled => options.Value.Enabled;

    /// <summary>Queues <paramref name="webhookEvent"/>; false when webhooks are off or the queue is full.</summary>
    public bool Raise(WebhookEvent webhookEvent)
    {
        if (!Enabled)
        {
            return false;
        }
        if (_events.Writer.TryWrite(webhookEvent))
        {
            return true;
        }
        LogDropped(webhookEvent.Topic);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        var client = clients.CreateClient(ClientName);
        client.Timeout = options.Value.Timeout;
        try
        {
            await foreach (var webhookEvent in _events.Reader.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(client, webhookEvent, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(HttpClient client, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(webhookEvent);
        var id = "msg_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        // A whsec_ secret signs and never travels; an older plain one is still sent as the Bearer token it always was.
        var bearer = options.Value.Secret is { Length: > 0 } plain && !plain.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal) ? plain : null;
        for (var attempt = 0; ; attempt++)
        {
            var (_, failure) = await WebhookPost.SendAsync(client, options.Value.Url!, id, body, secret.Key, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), bearer,
                options.Value.Timeout, cancellationToken);
            if (failure is null)
            {
                LogDelivered(webhookEvent.Topic);
                return;
            }
            if (attempt >= Backoff.Length)
            {
                // The URL is the operator's and may carry a token in its query: only where it points is logged.
                LogFailed(webhookEvent.Topic, Where(), failure, attempt + 1);
                return;
            }
            await Task.Delay(Backoff[attempt], cancellationToken);
        }
    }

    /// <summary>
    /// The queue lives in memory only: what is still in it when the host stops (the usage writer's last write may have just
    /// raised a quota alert) gets one attempt each, within a few seconds of the shutdown's grace, and what cannot be sent
    /// is counted in the log instead of vanishing silently.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!Enabled || !_events.Reader.TryPeek(out _))
        {
            return;
        }
        HttpClient client;
        try
        {
            client = clients.CreateClient(ClientName);
        }
        catch (ObjectDisposedException)
        {
            // Stopped again after the container's disposal (a test host): the first stop sent what there was.
            return;
        }
        client.Timeout = options.Value.Timeout;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int sent = 0, lost = 0;
        while (_events.Reader.TryRead(out var webhookEvent))
        {
            if (bound.IsCancellationRequested)
            {
                lost++;
                continue;
            }
            var body = JsonSerializer.SerializeToUtf8Bytes(webhookEvent);
            var id = "msg_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            var bearer = options.Value.Secret is { Length: > 0 } plain && !plain.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal) ? plain : null;
            try
            {
                var (_, failure) = await WebhookPost.SendAsync(client, options.Value.Url!, id, body, secret.Key, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), bearer,
                    options.Value.Timeout, bound.Token);
                _ = failure is null ? sent++ : lost++;
            }
            catch (OperationCanceledException)
            {
                lost++;
            }
        }
        if (sent + lost > 0)
        {
            LogStopped(sent, lost);
        }
    }

    [LoggerMessage(4, LogLevel.Information, "Shutdown: {Sent} queued webhooks sent, {Lost} could not be")]
    private partial void LogStopped(int sent, int lost);

    private string Where() => Uri.TryCreate(options.Value.Url, UriKind.Absolute, out var url) ? url.GetLeftPart(UriPartial.Path) : "?";

    [LoggerMessage(1, LogLevel.Information, "Webhook {Topic} delivered")]
    private partial void LogDelivered(string topic);

    [LoggerMessage(2, LogLevel.Warning, "Webhook {Topic} to {Url} failed ({Failure}) after {Attempts} attempts; it is dropped")]
    private partial void LogFailed(string topic, string url, string failure, int attempts);

    [LoggerMessage(3, LogLevel.Warning, "Webhook {Topic} dropped: too many events are waiting for delivery")]
    private partial void LogDropped(string topic);
}
