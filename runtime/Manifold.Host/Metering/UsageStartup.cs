using Manifold.Host.Metering.Prices;

namespace Manifold.Host.Metering;

/// <summary>
/// Before the server takes requests: the licences' running totals from the <c>usage</c> table (so quotas hold across
/// restarts) and the operator's prices. Registered after the licences' startup, which migrates the database.
/// </summary>
internal sealed class UsageStartup(UsageStore store, UsageLedger ledger, PriceStore prices) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (licenceId, requests, tokens, cost) in await store.TotalsByLicenceAsync(cancellationToken))
        {
            ledger.Load(licenceId, requests, tokens, cost);
        }
        await prices.LoadAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
