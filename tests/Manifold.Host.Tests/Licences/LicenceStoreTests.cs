using Manifold.Host.Licences;
using Manifold.Host.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Manifold.Host.Tests.Licences;

/// <summary>The licence store, the same tests on each engine (the derived classes at the end).</summary>
public abstract class LicenceStoreTests(TestDatabase db) : IAsyncLifetime
{
    private readonly TestDatabase _db = db;
    private readonly LicenceRevocationNotifier _revocations = new();
    private readonly List<long> _revokedIds = [];
    private SqliteLicenceStore _store = null!;

    public async Task InitializeAsync()
    {
        await _db.Database.MigrateAsync();
        _revocations.Revoked += _revokedIds.Add;
        _store = new SqliteLicenceStore(_db.Database, _revocations, TimeProvider.System, NullLogger<SqliteLicenceStore>.Instance);
    }

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Create_Find_Revoke_ThenNotFound()
    {
        var issued = await _store.CreateAsync("ci runner");

        var found = await _store.FindByKeyAsync(issued.Key);
        Assert.Equal(issued.Licence, found);
        Assert.Equal("ci runner", found!.Name);
        Assert.Equal(issued.Key[..8], found.KeyPrefix);
        Assert.Null(found.RevokedAt);

        Assert.True(await _store.RevokeAsync(issued.Licence.Id));

        Assert.Null(await _store.FindByKeyAsync(issued.Key));
        Assert.Equal([issued.Licence.Id], _revokedIds);
        Assert.NotNull(Assert.Single(await _store.ListAsync()).RevokedAt);
    }

    [Fact]
    public async Task Revoke_ReturnsFalse_ForUnknownOrAlreadyRevoked()
    {
        var issued = await _store.CreateAsync("once");
        await _store.RevokeAsync(issued.Licence.Id);

        Assert.False(await _store.RevokeAsync(issued.Licence.Id));
        Assert.False(await _store.RevokeAsync(12345));
        Assert.Single(_revokedIds);
    }

    [Fact]
    public async Task Keys_AreStoredOnlyAsHashes()
    {
        var issued = await _store.CreateAsync("secretive");
        var bootstrapKey = "operator-chosen-bootstrap-key-0123456789";
        await _store.EnsureBootstrapKeyAsync(bootstrapKey);

        var stored = _db.ReadAllValues("licences");

        foreach (var key in new[] { issued.Key, bootstrapKey })
        {
            Assert.DoesNotContain(stored, value => value.Contains(key, StringComparison.Ordinal));
            // Nor any long run of it (the 8-character display prefix is the only part kept).
            Assert.DoesNotContain(stored, value => value.Contains(key[..12], StringComparison.Ordinal));
            Assert.Contains(LicenceKey.Hash(key), stored);
        }

        // The WAL and the main file hold raw pages: the key must not be in them either.
        foreach (var file in _db is TempSqliteDatabase sqlite ? Directory.GetFiles(sqlite.Root) : [])
        {
            var bytes = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain(issued.Key, bytes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Find_ReturnsNull_ForUnknownEmptyOrOversizedKeys()
    {
        await _store.CreateAsync("someone");

        Assert.Null(await _store.FindByKeyAsync(LicenceKey.Generate()));
        Assert.Null(await _store.FindByKeyAsync(""));
        Assert.Null(await _store.FindByKeyAsync(new string('x', LicenceKey.MaxLength + 1)));
    }

    [Fact]
    public async Task List_ReturnsAllLicencesOldestFirst()
    {
        var a = await _store.CreateAsync("a");
        var b = await _store.CreateAsync("b");
        await _store.RevokeAsync(a.Licence.Id);

        var list = await _store.ListAsync();

        Assert.Equal(["a", "b"], list.Select(l => l.Name));
        Assert.True(list[0].IsRevoked);
        Assert.False(list[1].IsRevoked);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bootstrap")]
    [InlineData("Bootstrap")]
    public async Task Create_RejectsEmptyAndReservedNames(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.CreateAsync(name));
    }

    [Fact]
    public async Task IssuedLicence_ToString_DoesNotRevealTheKey()
    {
        var issued = await _store.CreateAsync("logged");

        Assert.DoesNotContain(issued.Key, issued.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureBootstrapKey_IsIdempotent()
    {
        const string key = "bootstrap-key-for-tests-0123456789abcdef";

        var first = await _store.EnsureBootstrapKeyAsync(key);
        var second = await _store.EnsureBootstrapKeyAsync(key);

        Assert.Equal(first, second);
        Assert.Equal("bootstrap", first.Name);
        Assert.Equal(1, _db.Scalar("SELECT COUNT(*) FROM licences;"));
        Assert.Equal(first, await _store.FindByKeyAsync(key));
        Assert.Empty(_revokedIds);
    }

    [Fact]
    public async Task EnsureBootstrapKey_WithANewKey_RevokesTheOldBootstrapLicence()
    {
        var old = await _store.EnsureBootstrapKeyAsync("old-bootstrap-key-0123456789abcdefghij");
        var other = await _store.CreateAsync("unrelated");

        var current = await _store.EnsureBootstrapKeyAsync("new-bootstrap-key-0123456789abcdefghij");

        Assert.NotEqual(old.Id, current.Id);
        Assert.Null(await _store.FindByKeyAsync("old-bootstrap-key-0123456789abcdefghij"));
        Assert.NotNull(await _store.FindByKeyAsync("new-bootstrap-key-0123456789abcdefghij"));
        Assert.NotNull(await _store.FindByKeyAsync(other.Key));
        Assert.Equal([old.Id], _revokedIds);
    }

    [Fact]
    public async Task EnsureBootstrapKey_ReactivatesARevokedKeyThatIsConfiguredAgain_SoTheOperatorIsNeverLockedOut()
    {
        const string key = "revoked-bootstrap-key-0123456789abcdef";
        var licence = await _store.EnsureBootstrapKeyAsync(key);
        await _store.RevokeAsync(licence.Id);

        var again = await _store.EnsureBootstrapKeyAsync(key);

        Assert.Equal(licence.Id, again.Id);
        Assert.False(again.IsRevoked);
        Assert.Equal(licence.Id, (await _store.FindByKeyAsync(key))?.Id);
    }

    [Fact]
    public async Task A_policy_is_kept_read_back_changed_and_cleared()
    {
        var policy = new LicencePolicy
        {
            Models = ["gpt-4o*", "sandbox-echo"],
            Platforms = ["sandbox"],
            ExpiresAt = new DateTimeOffset(2027, 1, 31, 0, 0, 0, TimeSpan.Zero),
            Quota = new LicenceQuota(Requests: 1000, Cost: 12.5m),
            Limits = new LicenceLimits(Rpm: 60, Concurrency: 2),
        };

        var issued = await _store.CreateAsync("team-a", policy);
        var read = await _store.GetAsync(issued.Licence.Id);
        var found = await _store.FindByKeyAsync(issued.Key);
        var changed = await _store.UpdateAsync(issued.Licence.Id, "team-b", policy with { Models = null, Limits = null });
        await _store.RevokeAsync(issued.Licence.Id);
        var afterRevoke = await _store.UpdateAsync(issued.Licence.Id, null, LicencePolicy.Unrestricted);

        Assert.Equal(policy.Models, read!.Policy.Models);
        Assert.Equal(policy.Platforms, read.Policy.Platforms);
        Assert.Equal((policy.ExpiresAt, policy.Quota, policy.Limits), (read.Policy.ExpiresAt, read.Policy.Quota, read.Policy.Limits));
        Assert.Equal(policy.Limits, found!.Policy.Limits);
        Assert.Equal(("team-b", null, null), (changed!.Name, changed.Policy.Models, changed.Policy.Limits));
        Assert.Equal(policy.Quota, changed.Policy.Quota);
        Assert.Null(afterRevoke);
        Assert.Null(await _store.GetAsync(999_999));
    }
}

public sealed class SqliteLicenceStoreTests() : LicenceStoreTests(new TempSqliteDatabase());

public sealed class PostgresLicenceStoreTests() : LicenceStoreTests(TempPostgresDatabase.Create());
