using Microsoft.Extensions.Options;

namespace Manifold.Host.Accounts;

/// <summary>
/// Loads the account pools before the server takes requests (after the schema is migrated: hosted services start in the
/// order they were added), then asks the database every <see cref="AccountOptions.SyncInterval"/> whether another node
/// changed the accounts. A failed read leaves the pools as they were and is tried again at the next tick.
/// </summary>
internal sealed class AccountPoolSync(AccountPools pools, IOptions<AccountOptions> options, TimeProvider time, AccountLog log) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await pools.ReloadAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SyncInterval > TimeSpan.Zero ? options.Value.SyncInterval : TimeSpan.FromSeconds(5), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await pools.SyncAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    log.SyncFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
