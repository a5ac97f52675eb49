using System.Globalization;
using System.Threading.Channels;
using Manifold.Host.Platforms;
using Manifold.Host.Storage;

namespace Manifold.Host.Accounts;

/// <summary>
/// Shares what one node learnt about an account with the others, on PostgreSQL: a 429 with a Retry-After (the account rests
/// until then), a circuit opened by authentication failures (until its probe) and a circuit closed by a good trial. Sent
/// with <c>pg_notify</c> on <see cref="StorageChannels.AccountHealth"/> from a background loop (the request that learnt it
/// only queues a few fields) and applied by every other node to the same account of its pool, so within about the
/// notification's delay no node sends the upstream a request it already refused. Nothing is stored: the states end by
/// themselves. Cool-downs after a 5xx stay per node (one node's network trouble is not another's). Nothing on SQLite.
/// </summary>
public sealed partial class AccountHealthBroadcast(Database database, PostgresListener listener, IServiceProvider services, TimeProvider time,
    ILogger<AccountHealthBroadcast> logger) : BackgroundService
{
    private const string Rest = "rest";
    private const string Open = "open";
    private const string Close = "close";

    // A node's own notifications come back to it; its id tells them apart.
    private readonly string _node = Guid.NewGuid().ToString("N")[..12];
    private readonly bool _enabled = database is PostgresDatabase;
    private readonly Channel<string> _outbox = Channel.CreateBounded<string>(new BoundedChannelOptions(1024)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>This node rested <paramref name="account"/> until <paramref name="until"/> (timestamp ticks) after a 429 with a Retry-After.</summary>
    internal void RateLimited(string platform, string account, long until, HealthPolicy policy) => Queue(Rest, platform, account, until, policy);

    /// <summary>This node opened the account's circuit until <paramref name="probeAt"/> (timestamp ticks).</summary>
    internal void Opened(string platform, string account, long probeAt, HealthPolicy policy) => Queue(Open, platform, account, probeAt, policy);

    internal void Recovered(string platform, string account, HealthPolicy policy) => Queue(Close, platform, account, 0, policy);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_enabled)
        {
            listener.Subscribe(StorageChannels.AccountHealth, Apply, static () => { });
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled)
        {
            return;
        }
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await using var connection = await database.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                    while (_outbox.Reader.TryRead(out var payload))
                    {
                        await database.Dialect.NotifyAsync(connection, null, StorageChannels.AccountHealth, payload, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The other nodes learn it themselves from the upstream, one request each, as they would on SQLite.
                    LogSendFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Queue(string kind, string platform, string account, long until, HealthPolicy policy)
    {
        if (!_enabled)
        {
            return;
        }
        // Wall-clock milliseconds: timestamps are per process, the clock is shared (to within NTP's skew).
        var untilMs = until == 0 ? 0 : policy.WallClock(until)!.Value.ToUnixTimeMilliseconds();
        _outbox.Writer.TryWrite(string.Join('|', kind, untilMs.ToString(CultureInfo.InvariantCulture), _node, platform, account));
    }

    private void Apply(string payload)
    {
        var parts = payload.Split('|', 5);
        if (parts.Length != 5 || parts[2] == _node || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var untilMs))
        {
            return;
        }
        var registry = services.GetRequiredService<PlatformRegistry>();
        if (!registry.TryGet(parts[3], out var entry) || entry.Accounts.Find(parts[4]) is not { } account)
        {
            return;
        }
        var policy = entry.Accounts.Policy;
        var until = policy.Now + policy.Ticks(DateTimeOffset.FromUnixTimeMilliseconds(untilMs) - time.GetUtcNow());
        switch (parts[0])
        {
            case Rest:
                account.Health.RestAsPeerSaid(until);
                LogApplied(parts[3], parts[4], "rate_limited");
                break;
            case Open:
                account.Health.OpenAsPeerSaid(until);
                LogApplied(parts[3], parts[4], "circuit_open");
                break;
            case Close:
                account.Health.CloseAsPeerSaid();
                LogApplied(parts[3], parts[4], "healthy");
                break;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Telling other nodes about an account's health failed")]
    private partial void LogSendFailed(Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Account {Account} of platform {Platform} is {State}, as another node found")]
    private partial void LogApplied(string platform, string account, string state);
}
