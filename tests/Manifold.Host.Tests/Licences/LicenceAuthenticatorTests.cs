using Manifold.Host.Licences;
using Manifold.Host.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Manifold.Host.Tests.Licences;

public sealed class LicenceAuthenticatorTests
{
    private const string Key = "mf-authenticator-test-key-0123456789abcdefg";

    private readonly CountingLicenceStore _store = new();
    private readonly LicenceRevocationNotifier _revocations = new();
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task CacheHit_DoesNotQueryTheStore()
    {
        var licence = _store.Add(Key);
        using var authenticator = Create();

        Assert.Equal(licence, await authenticator.AuthenticateAsync(Key));
        Assert.Equal(1, _store.FindCalls);

        for (var i = 0; i < 100; i++)
        {
            Assert.Same(licence, await authenticator.AuthenticateAsync(Key));
        }

        Assert.Equal(1, _store.FindCalls);
    }

    [Fact]
    public async Task CacheHit_DoesNotAllocate()
    {
        _store.Add(Key);
        using var authenticator = Create();
        var presented = Key.AsMemory();
        await authenticator.AuthenticateAsync(presented);
        // Warm up so JIT tiering does not count.
        Assert.Equal(1000, AuthenticateCachedRepeatedly(authenticator, presented, 1000));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var hits = AuthenticateCachedRepeatedly(authenticator, presented, 100_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(100_000, hits);
        // Even one allocation per call would be 2.4 MB or more here; the runtime may allocate a few hundred bytes
        // once (JIT tier-up bookkeeping), which is not the code under test.
        Assert.True(allocated < 1024, $"{allocated} bytes allocated over 100,000 cache hits");
    }

    [Fact]
    public async Task UnknownKeys_AreRemembered_SoARepeatedWrongKeyCostsNoLookupUntilItsTimeToLivePasses()
    {
        using var authenticator = Create();

        for (var i = 0; i < 100; i++)
        {
            Assert.Null(await authenticator.AuthenticateAsync("mf-nobody"));
        }

        Assert.Equal(1, _store.FindCalls);
        Assert.Equal(0, authenticator.CachedCount);
        Assert.Equal(1, authenticator.UnknownCount);

        _time.Advance(LicenceAuthenticator.DefaultTimeToLive);
        Assert.Null(await authenticator.AuthenticateAsync("mf-nobody"));
        Assert.Equal(2, _store.FindCalls);
    }

    [Fact]
    public async Task UnknownKeys_AreForgottenWhenAnyLicenceChanges()
    {
        using var authenticator = Create();
        Assert.Null(await authenticator.AuthenticateAsync(Key));

        // The key's licence appears (another node's bootstrap key, say); a change of licences empties what was unknown.
        var licence = _store.Add(Key);
        Assert.Null(await authenticator.AuthenticateAsync(Key));
        _revocations.NotifyAllChanged();

        Assert.Equal(licence, await authenticator.AuthenticateAsync(Key));
        Assert.Equal(2, _store.FindCalls);
    }

    [Fact]
    public async Task UnknownKeys_AreBounded()
    {
        using var authenticator = new LicenceAuthenticator(_store, _revocations, _time, maxEntries: 2, LicenceAuthenticator.DefaultTimeToLive);

        for (var i = 0; i < 50; i++)
        {
            Assert.Null(await authenticator.AuthenticateAsync($"mf-random-{i}"));
        }

        Assert.Equal(2, authenticator.UnknownCount);
        Assert.Equal(50, _store.FindCalls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task MissingKey_IsRejectedWithoutAStoreLookup(string? key)
    {
        using var authenticator = Create();

        Assert.Null(await authenticator.AuthenticateAsync(key));
        Assert.Equal(0, _store.FindCalls);
    }

    [Fact]
    public async Task OversizedKey_IsRejectedWithoutAStoreLookup()
    {
        using var authenticator = Create();

        Assert.Null(await authenticator.AuthenticateAsync(new string('k', LicenceKey.MaxLength + 1)));
        Assert.Equal(0, _store.FindCalls);
    }

    [Fact]
    public async Task ExpiredEntry_IsLookedUpAgain_AndDroppedIfNoLongerValid()
    {
        _store.Add(Key);
        using var authenticator = Create();
        await authenticator.AuthenticateAsync(Key);

        // Revoked by another instance: still served from cache until the TTL runs out...
        _store.RevokeSilently(Key);
        _time.Advance(LicenceAuthenticator.DefaultTimeToLive - TimeSpan.FromSeconds(1));
        Assert.NotNull(await authenticator.AuthenticateAsync(Key));
        Assert.Equal(1, _store.FindCalls);

        // ...and then rejected.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await authenticator.AuthenticateAsync(Key));
        Assert.Equal(2, _store.FindCalls);
        Assert.Equal(0, authenticator.CachedCount);
    }

    [Fact]
    public async Task Revocation_InvalidatesTheCacheImmediately()
    {
        var licence = _store.Add(Key);
        var other = _store.Add("mf-other-key-0123456789abcdefghijklmnopqrstu");
        using var authenticator = Create();
        await authenticator.AuthenticateAsync(Key);
        await authenticator.AuthenticateAsync("mf-other-key-0123456789abcdefghijklmnopqrstu");

        _store.RevokeSilently(Key);
        _revocations.NotifyRevoked(licence.Id);

        Assert.Null(await authenticator.AuthenticateAsync(Key));
        Assert.Equal(other, await authenticator.AuthenticateAsync("mf-other-key-0123456789abcdefghijklmnopqrstu"));
        Assert.Equal(3, _store.FindCalls);
    }

    [Fact]
    public async Task Cache_IsBounded()
    {
        using var authenticator = new LicenceAuthenticator(_store, _revocations, _time, maxEntries: 2, LicenceAuthenticator.DefaultTimeToLive);
        var keys = Enumerable.Range(0, 3).Select(i => $"mf-bounded-key-{i}-0123456789abcdefghijklmnop").ToArray();
        foreach (var key in keys)
        {
            _store.Add(key);
            Assert.NotNull(await authenticator.AuthenticateAsync(key));
        }

        Assert.Equal(2, authenticator.CachedCount);
        // The key that did not fit still authenticates, from the store.
        Assert.NotNull(await authenticator.AuthenticateAsync(keys[2]));
        Assert.Equal(4, _store.FindCalls);

        // Once entries expire there is room again.
        _time.Advance(LicenceAuthenticator.DefaultTimeToLive);
        Assert.NotNull(await authenticator.AuthenticateAsync(keys[2]));
        Assert.NotNull(await authenticator.AuthenticateAsync(keys[2]));
        Assert.Equal(5, _store.FindCalls);
    }

    [Fact]
    public async Task WithTheSqliteStore_RevokeThroughTheStoreTakesEffectAtOnce()
    {
        using var db = new TempSqliteDatabase();
        await db.Database.MigrateAsync();
        var store = new SqliteLicenceStore(db.Database, _revocations, TimeProvider.System, NullLogger<SqliteLicenceStore>.Instance);
        using var authenticator = new LicenceAuthenticator(store, _revocations, TimeProvider.System);
        var issued = await store.CreateAsync("live");

        Assert.Equal(issued.Licence, await authenticator.AuthenticateAsync(issued.Key));
        Assert.Equal(1, authenticator.CachedCount);

        await store.RevokeAsync(issued.Licence.Id);

        Assert.Null(await authenticator.AuthenticateAsync(issued.Key));
    }

    // Synchronous on purpose: a cache hit must complete synchronously, and awaiting would add the test's own state machine.
    private static int AuthenticateCachedRepeatedly(LicenceAuthenticator authenticator, ReadOnlyMemory<char> key, int iterations)
    {
        var hits = 0;
        for (var i = 0; i < iterations; i++)
        {
            var pending = authenticator.AuthenticateAsync(key);
            if (pending.IsCompletedSuccessfully && pending.Result is not null)
            {
                hits++;
            }
        }

        return hits;
    }

    private LicenceAuthenticator Create() => new(_store, _revocations, _time);
}
