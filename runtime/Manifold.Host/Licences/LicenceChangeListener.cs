using System.Globalization;
using Manifold.Host.Storage;

namespace Manifold.Host.Licences;

/// <summary>
/// Makes another node's licence change take effect here at once: each id announced on <see cref="StorageChannels.Licences"/>
/// (by <see cref="SqliteLicenceStore"/>, in the transaction that changed it) drops the cached copy, as a change on this node
/// does; after a lost connection the whole cache is dropped. PostgreSQL only; on SQLite the cache lifetime bounds the delay.
/// </summary>
internal sealed class LicenceChangeListener(PostgresListener listener, LicenceRevocationNotifier revocations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        listener.Subscribe(StorageChannels.Licences, OnChanged, revocations.NotifyAllChanged);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnChanged(string payload)
    {
        if (long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            revocations.NotifyChanged(id);
        }
    }
}
