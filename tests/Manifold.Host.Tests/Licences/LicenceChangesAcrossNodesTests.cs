using Manifold.Host.Licences;
using Manifold.Host.Storage;
using Manifold.Host.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Manifold.Host.Tests.Licences;

/// <summary>
/// Two nodes on one PostgreSQL, each with its own store, cache and listener: a licence revoked or changed on one stops
/// working (or works differently) on the other within 5 s, far inside the 30 s the cache would otherwise keep it.
/// </summary>
public sealed class LicenceChangesAcrossNodesTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private readonly TempPostgresDatabase _db = TempPostgresDatabase.Create();
    private readonly LicenceRevocationNotifier _notifierB = new();
    private SqliteLicenceStore _storeA = null!;
    private LicenceAuthenticator _authenticatorB = null!;
    private PostgresListener _listenerB = null!;
    private LicenceChangeListener _changesB = null!;

    public async Task InitializeAsync()
    {
        await _db.Database.MigrateAsync();
        _storeA = new SqliteLicenceStore(_db.Database, new LicenceRevocationNotifier(), TimeProvider.System, NullLogger<SqliteLicenceStore>.Instance);
        var storeB = new SqliteLicenceStore(_db.Open(), _notifierB, TimeProvider.System, NullLogger<SqliteLicenceStore>.Instance);
        _authenticatorB = new LicenceAuthenticator(storeB, _notifierB, TimeProvider.System);
        _listenerB = new PostgresListener(_db.Open(), NullLogger<PostgresListener>.Instance);
        _changesB = new LicenceChangeListener(_listenerB, _notifierB);
        await _changesB.StartAsync(default);
        await _listenerB.StartAsync(default);
        await _listenerB.Listening.WaitAsync(TimeSpan.FromMinutes(1));
    }

    public async Task DisposeAsync()
    {
        await _listenerB.StopAsync(default);
        _listenerB.Dispose();
        _authenticatorB.Dispose();
        _db.Dispose();
    }

    [Fact]
    public async Task A_licence_revoked_on_one_node_is_refused_by_the_other_within_5_s_though_it_was_cached_there()
    {
        var issued = await _storeA.CreateAsync("shared");
        Assert.NotNull(await _authenticatorB.AuthenticateAsync(issued.Key));
        Assert.Equal(1, _authenticatorB.CachedCount);

        await _storeA.RevokeAsync(issued.Licence.Id);

        Assert.True(await Eventually(async () => await _authenticatorB.AuthenticateAsync(issued.Key) is null), "node B still accepts the revoked key");
    }

    [Fact]
    public async Task A_policy_changed_on_one_node_applies_on_the_other_within_5_s()
    {
        var issued = await _storeA.CreateAsync("limited");
        Assert.Null((await _authenticatorB.AuthenticateAsync(issued.Key))!.Policy.Models);

        await _storeA.UpdateAsync(issued.Licence.Id, null, new LicencePolicy { Models = ["gpt-4o"] });

        Assert.True(await Eventually(async () => (await _authenticatorB.AuthenticateAsync(issued.Key))?.Policy.Models is ["gpt-4o"]),
            "node B still applies the old policy");
    }

    [Fact]
    public async Task A_licence_created_on_one_node_works_on_the_other_at_once()
    {
        var issued = await _storeA.CreateAsync("new");

        Assert.Equal(issued.Licence.Id, (await _authenticatorB.AuthenticateAsync(issued.Key))?.Id);
    }

    [Fact]
    public async Task A_node_whose_listening_connection_is_cut_listens_again_drops_its_cache_and_hears_later_changes()
    {
        var issued = await _storeA.CreateAsync("survives-a-cut");
        Assert.NotNull(await _authenticatorB.AuthenticateAsync(issued.Key));
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _notifierB.AllChanged += () => dropped.TrySetResult();

        // The server ends B's listening connection, as a failover or a dropped network would.
        await using (var connection = await _db.Database.OpenConnectionAsync())
        await using (var cut = connection.Command("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name;"))
        {
            cut.AddParameter("@name", _db.Schema + "-listener");
            Assert.Equal(1L, await cut.ExecuteScalarAsync());
        }
        await dropped.Task.WaitAsync(TimeSpan.FromMinutes(1));
        var cachedAfterCut = _authenticatorB.CachedCount;
        // Cached again, then revoked on A: only a notification on the new connection can make B refuse it within 5 s.
        Assert.NotNull(await _authenticatorB.AuthenticateAsync(issued.Key));
        await _storeA.RevokeAsync(issued.Licence.Id);

        Assert.Equal(0, cachedAfterCut);
        Assert.True(await Eventually(async () => await _authenticatorB.AuthenticateAsync(issued.Key) is null), "node B still accepts the revoked key");
    }

    [Fact]
    public void A_lost_connection_drops_every_cached_licence()
    {
        var cleared = 0;
        _notifierB.AllChanged += () => cleared++;

        _notifierB.NotifyAllChanged();

        Assert.Equal(1, cleared);
        Assert.Equal(0, _authenticatorB.CachedCount);
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(50);
        }
        return await condition();
    }
}
