using Manifold.Host.Accounts;
using Manifold.Host.Tests.Storage;

namespace Manifold.Host.Tests.Accounts;

/// <summary>The accounts' store, the same tests on each engine: rows written, replaced, changed and deleted, each bumping the version.</summary>
public abstract class AccountStoreTests(TestDatabase db) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    private readonly TestDatabase _db = db;
    private SqliteAccountStore _store = null!;

    public async Task InitializeAsync()
    {
        await _db.Database.MigrateAsync();
        _store = new SqliteAccountStore(_db.Database);
    }

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    private static StoredAccount Account(string id, AccountSettings? settings = null) => new(
        "openai", id, AccountSource.Database, "ciphertext-of-" + id, "sk-...abcd", settings ?? new AccountSettings { Name = "first", Weight = 3, Priority = 1, Group = "vip", MaxConcurrency = 4 },
        T0, T0);

    [Fact]
    public async Task Every_write_bumps_the_version_and_a_load_reads_rows_with_their_version()
    {
        var empty = await _store.LoadAsync(default);
        await _store.SaveAsync(Account("acct_1"), default);
        await _store.SaveAsync(Account("acct_2", new AccountSettings { Enabled = false }) with { Source = AccountSource.Config, KeyCiphertext = null, MaskedKey = null }, default);
        var changed = await _store.UpdateSettingsAsync("openai", "acct_1", new AccountSettings { Name = "renamed", Weight = 5 }, T0.AddMinutes(1), default);
        var missing = await _store.UpdateSettingsAsync("openai", "acct_none", AccountSettings.Default, T0, default);
        var (version, accounts) = await _store.LoadAsync(default);
        var deleted = await _store.DeleteAsync("openai", "acct_2", default);
        var deletedAgain = await _store.DeleteAsync("openai", "acct_2", default);

        Assert.Equal((0L, 0), (empty.Version, empty.Accounts.Count));
        Assert.True(changed);
        Assert.False(missing);
        Assert.Equal(["acct_1", "acct_2"], accounts.Select(static a => a.Id));
        Assert.Equal(Account("acct_1", new AccountSettings { Name = "renamed", Weight = 5 }) with { UpdatedAt = T0.AddMinutes(1) }, accounts[0]);
        Assert.Equal((AccountSource.Config, null, false), (accounts[1].Source, accounts[1].KeyCiphertext, accounts[1].Settings.Enabled));
        Assert.True(deleted);
        Assert.False(deletedAgain);
        // Each write is a version, a write that changed no row included; another node reads the same number.
        Assert.True(version >= 4);
        Assert.Equal(await _store.ReadVersionAsync(default), await new SqliteAccountStore(_db.Open()).ReadVersionAsync(default));
        Assert.True(await _store.ReadVersionAsync(default) > version);
    }

    [Fact]
    public async Task Saving_a_row_again_replaces_it_in_place()
    {
        await _store.SaveAsync(Account("acct_1"), default);
        await _store.SaveAsync(Account("acct_1", new AccountSettings { Priority = 9 }) with { MaskedKey = "sk-...wxyz", UpdatedAt = T0.AddHours(1) }, default);

        var stored = Assert.Single((await _store.LoadAsync(default)).Accounts);
        Assert.Equal((9, "sk-...wxyz", T0, T0.AddHours(1)), (stored.Settings.Priority, stored.MaskedKey, stored.CreatedAt, stored.UpdatedAt));
    }
}

public sealed class SqliteAccountStoreTests() : AccountStoreTests(new TempSqliteDatabase());

public sealed class PostgresAccountStoreTests() : AccountStoreTests(TempPostgresDatabase.Create());
