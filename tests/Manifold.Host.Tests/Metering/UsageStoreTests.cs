using Manifold.Host.Licences;
using Manifold.Host.Metering;
using Manifold.Host.Metering.Prices;
using Manifold.Host.Tests.Licences;
using Manifold.Host.Tests.Storage;

namespace Manifold.Host.Tests.Metering;

/// <summary>
/// The metering store on a real SQLite file and a real PostgreSQL (the derived classes at the end): a batch lands in the request log and, summed per hour, licence, platform and
/// model, in the usage totals (upserted across batches); the totals a restart loads; the log pruned past its retention;
/// and the price table's matching rules.
/// </summary>
public abstract class UsageStoreTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _db;

    protected UsageStoreTests(TestDatabase db)
    {
        _db = db;
        _db.Database.MigrateAsync().GetAwaiter().GetResult();
    }

    public void Dispose() => _db.Dispose();

    private static UsageRecord Record(DateTimeOffset time, long licence = 1, string model = "gpt-4o", long tokens = 10, bool failed = false, bool billable = true) => new()
    {
        Time = time.ToUnixTimeMilliseconds(),
        LicenceId = licence,
        Platform = "openai",
        Model = model,
        Protocol = "openai",
        Operation = "createChatCompletion",
        Status = failed ? 502 : 200,
        InputTokens = tokens,
        OutputTokens = tokens,
        TotalTokens = 2 * tokens,
        Source = UsageSource.Reported,
        Billable = billable,
        CountsRequest = billable,
        Failed = failed,
    };

    [Fact]
    public async Task Batches_are_summed_per_hour_into_the_totals_across_batches_and_each_request_is_logged()
    {
        var store = new UsageStore(_db.Database);

        await store.WriteAsync([new(Record(Noon), 0.5), new(Record(Noon.AddMinutes(59), tokens: 5), 0.25), new(Record(Noon.AddHours(1)), 0.5)], log: true, default);
        await store.WriteAsync([new(Record(Noon.AddMinutes(30), failed: true, tokens: 0), 0), new(Record(Noon, billable: false, tokens: 0), 0)], log: true, default);
        var totals = await store.TotalsByLicenceAsync(default);

        // Two hours of totals; the non-billable record (a model list, say) is in the log only.
        Assert.Equal(5, _db.ReadAllValues("request_log").Count / 20);
        var usage = _db.ReadAllValues("usage", orderBy: "hour");
        Assert.Equal(2 * 12, usage.Count);
        Assert.Equal(
            [Noon.ToUnixTimeMilliseconds().ToString(), "1", "openai", "gpt-4o", "3", "1", "15", "15", "30", "0", "0", "0.75"],
            usage.Take(12));
        // Successful requests, all tokens, all cost, per licence: what quotas are checked against after a restart.
        Assert.Equal((1L, 3L, 50L, 1.25), Assert.Single(totals));
    }

    [Fact]
    public async Task A_node_counts_what_other_nodes_wrote_to_the_shared_totals_once_and_its_own_writes_not_twice()
    {
        var licence = new Licence(1, "quota", "mf-x", Noon, null) { Policy = new LicencePolicy { Quota = new LicenceQuota(Requests: 3) } };
        var nodeA = new UsageStore(_db.Database);
        var nodeB = new UsageStore(_db.Open());
        var ledgerB = new UsageLedger(TimeProvider.System);

        // B serves one request of the licence and writes it; A serves two.
        ledgerB.Charge(licence, request: true, tokens: 20);
        await nodeB.WriteAsync([new(Record(Noon), 0.5)], log: false, default);
        ledgerB.Written(1, requests: 1, tokens: 20, cost: 0.5);
        var beforeA = ledgerB.Check(licence);
        await nodeA.WriteAsync([new(Record(Noon), 0.5), new(Record(Noon.AddMinutes(1)), 0.5)], log: false, default);
        ledgerB.Share(await nodeB.TotalsByLicenceAsync(ledgerB.WithQuota, default));
        ledgerB.Share(await nodeB.TotalsByLicenceAsync(ledgerB.WithQuota, default));

        Assert.True(beforeA.Allowed);
        Assert.Equal([1L], ledgerB.WithQuota);
        // Its own request once, A's two once each (read twice); cost here is only A's: B's own is added by its writer.
        Assert.Equal((3L, 60L, 1.0), (ledgerB.Find(1)!.Requests, ledgerB.Find(1)!.Tokens, ledgerB.Find(1)!.Cost));
        Assert.Equal(UsageRefusal.Quota, ledgerB.Check(licence).Refusal);
    }

    [Fact]
    public async Task The_admin_queries_sum_the_totals_per_day_and_model_and_filter_the_log()
    {
        var store = new UsageStore(_db.Database);
        var licences = new SqliteLicenceStore(_db.Database, new LicenceRevocationNotifier(), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteLicenceStore>.Instance);
        var id = (await licences.CreateAsync("team")).Licence.Id;
        await store.WriteAsync(
        [
            new(Record(Noon, licence: id), 0.5),
            new(Record(Noon.AddHours(2), licence: id, model: "gpt-4o-mini"), 0.25),
            new(Record(Noon.AddHours(3), licence: id, failed: true, tokens: 0), 0),
            new(Record(Noon, licence: id, model: "claude-sonnet-4-5"), 1),
        ], log: true, default);
        var queries = new UsageQueries(_db.Database, licences);

        var byDay = await queries.UsageAsync(new UsageFilter(id, null, "gpt-4o*", null, null, UsageQueries.ByDay), default);
        var failed = await queries.RequestsAsync(new RequestFilter(null, "openai", null, null, null, "5xx", null, null, null, null, 10), default);

        Assert.Equal(["gpt-4o", "gpt-4o-mini"], byDay.Select(static r => r.Model));
        Assert.All(byDay, static r => Assert.Equal(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), r.Period));
        Assert.Equal(("team", 2L, 1L, 20L, 0.5), (byDay[0].LicenceName, byDay[0].Requests, byDay[0].Errors, byDay[0].TotalTokens, byDay[0].Cost));
        Assert.Equal((1L, 20L, 0.25), (byDay[1].Requests, byDay[1].TotalTokens, byDay[1].Cost));
        var request = Assert.Single(failed);
        Assert.Equal((502, "gpt-4o", Noon.AddHours(3)), (request.Status, request.Model, request.CreatedAt));
    }

    [Fact]
    public async Task Pruning_deletes_only_the_log_older_than_the_cutoff_and_keeps_the_totals()
    {
        var store = new UsageStore(_db.Database);
        await store.WriteAsync([new(Record(Noon.AddDays(-8)), 0), new(Record(Noon.AddDays(-6)), 0), new(Record(Noon), 0)], log: true, default);

        var deleted = await store.PruneAsync(Noon.AddDays(-7), default);

        Assert.Equal(1, deleted);
        Assert.Equal(2, _db.ReadAllValues("request_log").Count / 20);
        Assert.Equal(3 * 12, _db.ReadAllValues("usage").Count);
    }

    [Fact]
    public async Task Without_a_request_log_only_the_totals_are_written()
    {
        var store = new UsageStore(_db.Database);

        await store.WriteAsync([new(Record(Noon), 0.5), new(Record(Noon.AddMinutes(1)), 0.5)], log: false, default);

        Assert.Empty(_db.ReadAllValues("request_log"));
        Assert.Equal("2", _db.ReadAllValues("usage")[4]);
    }

    [Fact]
    public async Task Prices_are_kept_and_the_exact_name_wins_over_the_longest_prefix_over_shorter_ones()
    {
        var table = new PriceTable();
        var prices = new PriceStore(_db.Database, table, TimeProvider.System);
        await prices.ReplaceAsync(
        [
            new ModelPrice("gpt-4o*", InputPerMillion: 2.5m),
            new ModelPrice("gpt-4o-mini*", InputPerMillion: 0.15m),
            new ModelPrice("gpt-4o-mini-tts", InputPerMillion: 0.6m),
            new ModelPrice("claude-sonnet-4-5", InputPerMillion: 3m, PerRequest: 0.01m),
        ], default);
        var reloaded = new PriceTable();
        await new PriceStore(_db.Database, reloaded, TimeProvider.System).LoadAsync(default);

        Assert.Equal(0.6m, reloaded.Find("gpt-4o-mini-tts")!.InputPerMillion);
        Assert.Equal(0.15m, reloaded.Find("gpt-4o-mini-2024-07-18")!.InputPerMillion);
        Assert.Equal(2.5m, reloaded.Find("gpt-4o")!.InputPerMillion);
        Assert.Null(reloaded.Find("gpt-4"));
        Assert.Null(reloaded.Find("claude-sonnet-4-5-20250929"));
        // A million input tokens at 3, plus the request; a failed request pays only for what it used.
        var record = Record(Noon, model: "claude-sonnet-4-5", tokens: 1_000_000) with { OutputTokens = 0 };
        Assert.Equal(3.01, reloaded.CostOf(record), 9);
        Assert.Equal(3.0, reloaded.CostOf(record with { Failed = true }), 9);
        Assert.Equal(0, reloaded.CostOf(record with { Model = "unpriced" }));
    }

    [Fact]
    public void A_licence_under_its_tpm_passes_and_over_it_waits_until_enough_tokens_are_a_minute_old()
    {
        var time = new ManualTimeProvider();
        var ledger = new UsageLedger(time);
        var licence = new Licence(7, "tpm", "mf-x", Noon, null) { Policy = new LicencePolicy { Limits = new LicenceLimits(Tpm: 100) } };

        ledger.Charge(licence, request: true, tokens: 60);
        time.Advance(TimeSpan.FromSeconds(20));
        var under = ledger.Check(licence);
        ledger.Charge(licence, request: true, tokens: 50);
        var over = ledger.Check(licence);
        time.Advance(TimeSpan.FromSeconds(40));
        var afterFirstLeft = ledger.Check(licence);

        Assert.True(under.Allowed);
        Assert.Equal(UsageRefusal.Tpm, over.Refusal);
        // The 60 tokens leave the window 60 s after they came, 40 s from the refusal; then 50 remain.
        Assert.Equal(TimeSpan.FromSeconds(40), over.RetryAfter);
        Assert.True(afterFirstLeft.Allowed);
    }
}

public sealed class SqliteUsageStoreTests() : UsageStoreTests(new TempSqliteDatabase());

public sealed class PostgresUsageStoreTests() : UsageStoreTests(TempPostgresDatabase.Create());
