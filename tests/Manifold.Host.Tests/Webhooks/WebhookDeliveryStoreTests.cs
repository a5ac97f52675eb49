using Manifold.Host.Storage;
using Manifold.Host.Tests.Storage;
using Manifold.Host.Webhooks;

namespace Manifold.Host.Tests.Webhooks;

/// <summary>
/// The webhook outbox on each engine: due deliveries in order, and the compare-and-set claim that lets exactly one of two
/// nodes take an attempt, whether the row's next attempt is a time or (delivered) none.
/// </summary>
public abstract class WebhookDeliveryStoreTests(TestDatabase db) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    private readonly TestDatabase _db = db;
    private WebhookDeliveryStore _store = null!;

    public async Task InitializeAsync()
    {
        await _db.Database.MigrateAsync();
        _store = new WebhookDeliveryStore(_db.Database);
    }

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    private static WebhookDelivery Delivery(string id, DateTimeOffset? next, string? task = "video_1") => new()
    {
        Id = id,
        TaskId = task,
        Event = "task.succeeded",
        Url = "https://hooks.example/receive?token=secret",
        Body = """{"task_id":"video_1","status":"SUCCESS"}""",
        CreatedAt = T0,
        NextAttemptAt = next,
    };

    [Fact]
    public async Task Due_deliveries_come_soonest_first_and_a_task_lists_its_own()
    {
        await _store.InsertAsync(Delivery("msg_late", T0.AddSeconds(30)));
        await _store.InsertAsync(Delivery("msg_soon", T0.AddSeconds(5)));
        await _store.InsertAsync(Delivery("msg_future", T0.AddHours(1)));
        await _store.InsertAsync(Delivery("msg_done", null) with { DeliveredAt = T0, Attempts = 1, LastStatus = 200 });
        await _store.InsertAsync(Delivery("msg_other", T0, task: "video_2"));

        var due = await _store.DueAsync(T0.AddMinutes(1), limit: 10);
        var mine = await _store.ForTaskAsync("video_1");

        Assert.Equal(["msg_other", "msg_soon", "msg_late"], due.Select(static d => d.Id));
        Assert.Equal(["msg_done", "msg_future", "msg_late", "msg_soon"], mine.Select(static d => d.Id).Order());
        var done = mine.Single(static d => d.Id == "msg_done");
        Assert.Equal((1, 200, T0, (DateTimeOffset?)null), (done.Attempts, done.LastStatus, done.DeliveredAt!.Value, done.NextAttemptAt));
    }

    [Fact]
    public async Task Of_two_nodes_claiming_one_attempt_only_one_wins()
    {
        var seen = Delivery("msg_1", T0);
        await _store.InsertAsync(seen);
        var other = new WebhookDeliveryStore(_db.Open());

        var first = await _store.TryUpdateAsync(seen, seen with { NextAttemptAt = T0.AddSeconds(40) });
        var second = await other.TryUpdateAsync(seen, seen with { NextAttemptAt = T0.AddSeconds(41) });
        // The winner records the attempt's outcome against what it claimed; delivered, the row has no next attempt.
        var claimed = seen with { NextAttemptAt = T0.AddSeconds(40) };
        var delivered = claimed with { Attempts = 1, LastStatus = 204, DeliveredAt = T0.AddSeconds(1), NextAttemptAt = null };
        var recorded = await _store.TryUpdateAsync(claimed, delivered);
        // A claim against a delivered row (next attempt none) still compares: a stale copy cannot move it.
        var stale = await other.TryUpdateAsync(delivered with { Attempts = 0 }, delivered with { NextAttemptAt = T0 });
        var again = await other.TryUpdateAsync(delivered, delivered with { LastError = "noted" });

        Assert.Equal((true, false, true, false, true), (first, second, recorded, stale, again));
        var row = Assert.Single(await _store.ForTaskAsync("video_1"));
        Assert.Equal((1, 204, (DateTimeOffset?)null, "noted"), (row.Attempts, row.LastStatus, row.NextAttemptAt, row.LastError));
        Assert.Empty(await _store.DueAsync(T0.AddDays(1), limit: 10));
    }
}

public sealed class SqliteWebhookDeliveryStoreTests() : WebhookDeliveryStoreTests(new TempSqliteDatabase());

public sealed class PostgresWebhookDeliveryStoreTests() : WebhookDeliveryStoreTests(TempPostgresDatabase.Create());
