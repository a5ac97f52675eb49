using System.Collections.Concurrent;
using Npgsql;

namespace Manifold.Host.Storage;

/// <summary>
/// On PostgreSQL, one connection per node that <c>LISTEN</c>s on the <see cref="StorageChannels"/> and hands each
/// notification to whoever subscribed to its channel (the licence cache, the account pools). It reconnects when the
/// connection drops; because notifications sent meanwhile are lost, each subscriber is then told to forget everything it
/// cached (<c>onReconnect</c>). On SQLite it does nothing: nodes there rely on cache lifetimes and polls.
/// </summary>
public sealed partial class PostgresListener(Database database, ILogger<PostgresListener> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the node listens (at once on SQLite): tests wait on it before changing things on another node.</summary>
    public Task Listening => _listening.Task;

    /// <summary>Calls <paramref name="onPayload"/> for each notification on <paramref name="channel"/>, <paramref name="onReconnect"/> after each reconnection.</summary>
    public void Subscribe(string channel, Action<string> onPayload, Action onReconnect) =>
        _subscriptions[channel] = new Subscription(onPayload, onReconnect);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not PostgresDatabase postgres)
        {
            _listening.TrySetResult();
            return;
        }

        var backOff = TimeSpan.FromMilliseconds(250);
        var connected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = postgres.CreateUnpooledConnection();
                connection.Notification += OnNotification;
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                await using (var listen = connection.CreateCommand())
                {
                    // Every channel, whether or not subscribed yet: the names are StorageChannels' constants, never input.
                    listen.CommandText = string.Concat(StorageChannels.All.Select(static c => $"LISTEN {c};"));
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                if (connected)
                {
                    // What was notified while the connection was down is lost: every subscriber starts afresh.
                    LogReconnected();
                    foreach (var subscription in _subscriptions.Values)
                    {
                        subscription.OnReconnect();
                    }
                }

                connected = true;
                backOff = TimeSpan.FromMilliseconds(250);
                _listening.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The server restarted, the network dropped, a failover: try again, a little later each time.
                LogListenFailed(ex, backOff.TotalSeconds);
                try
                {
                    await Task.Delay(backOff, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backOff = TimeSpan.FromTicks(Math.Min(MaxBackOff.Ticks, backOff.Ticks * 2));
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (_subscriptions.TryGetValue(e.Channel, out var subscription))
        {
            try
            {
                subscription.OnPayload(e.Payload);
            }
            catch (Exception ex)
            {
                // A subscriber's bug must not end the listening for everyone else.
                LogHandlerFailed(ex, e.Channel);
            }
        }
    }

    private sealed record Subscription(Action<string> OnPayload, Action OnReconnect);

    [LoggerMessage(1, LogLevel.Warning, "Listening for other nodes' changes failed; trying again in {Seconds} s")]
    private partial void LogListenFailed(Exception exception, double seconds);

    [LoggerMessage(2, LogLevel.Information, "Listening for other nodes' changes again; cached licences and account states are refreshed")]
    private partial void LogReconnected();

    [LoggerMessage(3, LogLevel.Warning, "Handling a notification on {Channel} failed")]
    private partial void LogHandlerFailed(Exception exception, string channel);
}
