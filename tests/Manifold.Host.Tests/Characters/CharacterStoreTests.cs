using Manifold.Host.Characters;
using Manifold.Host.Storage;
using Manifold.Host.Tests.Storage;

namespace Manifold.Host.Tests.Characters;

/// <summary>The characters' store on each engine: a row read back whole, and names found per licence and platform, newest first.</summary>
public abstract class CharacterStoreTests(TestDatabase db) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    private readonly TestDatabase _db = db;
    private SqlCharacterStore _store = null!;

    public async Task InitializeAsync()
    {
        await _db.Database.MigrateAsync();
        _store = new SqlCharacterStore(_db.Database);
    }

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    private static VideoCharacterRecord Character(string id, string name, long? licence = 7, string platform = "sora", int minutes = 0) => new()
    {
        Id = id,
        LicenceId = licence,
        Platform = platform,
        AccountId = "acct_1",
        UpstreamId = "char_up_" + id,
        Name = name,
        CreatedAt = T0.AddMinutes(minutes),
        Source = "clip",
    };

    [Fact]
    public async Task A_character_reads_back_whole_and_names_are_found_per_licence_and_platform_newest_first()
    {
        await _store.InsertAsync(Character("char_a", "cat"));
        await _store.InsertAsync(Character("char_b", "cat", minutes: 5));
        await _store.InsertAsync(Character("char_c", "dog"));
        await _store.InsertAsync(Character("char_d", "cat", licence: 8));
        await _store.InsertAsync(Character("char_e", "cat", platform: "sandbox"));
        await _store.InsertAsync(Character("char_f", "owl", licence: null) with { AccountId = null, Source = null });

        var read = await new SqlCharacterStore(_db.Open()).GetAsync("char_c");
        var missing = await _store.GetAsync("char_none");
        var cats = await _store.FindByNamesAsync(7, "sora", ["cat", "dog", "emu"]);
        var unowned = await _store.FindByNamesAsync(null, "sora", ["owl"]);

        Assert.Equal(Character("char_c", "dog"), read);
        Assert.Null(missing);
        Assert.Equal(["char_b", "char_a", "char_c"], cats.Where(static c => c.Name == "cat").Concat(cats.Where(static c => c.Name == "dog")).Select(static c => c.Id));
        Assert.Equal(3, cats.Count);
        Assert.Equal(["char_f"], unowned.Select(static c => c.Id));
        Assert.Equal((null, null), (unowned[0].AccountId, unowned[0].Source));
    }
}

public sealed class SqliteCharacterStoreTests() : CharacterStoreTests(new TempSqliteDatabase());

public sealed class PostgresCharacterStoreTests() : CharacterStoreTests(TempPostgresDatabase.Create());
