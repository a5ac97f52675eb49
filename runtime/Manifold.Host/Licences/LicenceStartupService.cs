using Manifold.Host.Storage;

namespace Manifold.Host.Licences;

/// <summary>
/// Migrates the schema and applies the bootstrap key at startup. Hosted services start before the server begins
/// accepting requests, so no request can reach a store whose tables do not exist yet; a failure here stops the host.
/// </summary>
internal sealed class LicenceStartupService : IHostedService
{
    private readonly Database _database;
    private readonly BootstrapKeyStartup _bootstrap;

    public LicenceStartupService(Database database, BootstrapKeyStartup bootstrap)
    {
        _database = database;
        _bootstrap = bootstrap;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await _bootstrap.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
