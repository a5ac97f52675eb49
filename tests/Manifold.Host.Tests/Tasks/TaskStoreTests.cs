using Manifold.Host.Tasks;
using Manifold.Host.Tests.Storage;

namespace Manifold.Host.Tests.Tasks;

/// <summary>The media jobs' store, the same tests on each engine (the derived classes at the end).</summary>
public abstract class TaskStoreTests(TestDatabase db) : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_765_000_000);

    private readonly TestDatabase _db = db;
    private SqlTaskStore _store = null!;

    public async Task InitializeAsync()
    {
        await _db.Database.MigrateAsync();
        _store = new SqlTaskStore(_db.Database);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _db.Dispose();

    private static MediaTask NewTask(string kind = MediaKinds.Video, long? licence = 7, DateTimeOffset? created = null) => new()
    {
        Id = MediaTaskIds.New(kind),
        Kind = kind,
        Platform = "sora",
        AccountId = "acct_0123456789ab",
        Model = "sora-2",
        LicenceId = licence,
        Status = MediaTaskStatus.Queued,
        CreatedAt = created ?? T0,
        UpdatedAt = created ?? T0,
        NextPollAt = created ?? T0,
        Parameters = """{"prompt":"a cat","seconds":"4","size":"720x1280"}""",
    };

    [Fact]
    public async Task A_job_survives_a_restart_with_every_field()
    {
        var task = NewTask() with { UpstreamId = "video_up_1", Progress = 40, StartedAt = T0.AddSeconds(2), ErrorCode = null };
        await _store.InsertAsync(task);

        // Another Database on the same data is what a restarted gateway has.
        using var reopened = _db.Open();
        var read = await new SqlTaskStore(reopened).GetAsync(task.Id);

        Assert.Equal(task with { Version = 1 }, read);
    }

    [Fact]
    public async Task Updates_are_compare_and_set_on_the_version()
    {
        var task = NewTask();
        await _store.InsertAsync(task);
        var read = (await _store.GetAsync(task.Id))!;

        var first = await _store.TryUpdateAsync(read with { Status = MediaTaskStatus.InProgress, Progress = 10 });
        var stale = await _store.TryUpdateAsync(read with { Status = MediaTaskStatus.Failed });

        Assert.NotNull(first);
        Assert.Equal(2, first.Version);
        Assert.Null(stale);
        Assert.Equal((MediaTaskStatus.InProgress, 10, 2L), await Summary(task.Id));
    }

    [Fact]
    public async Task Lists_page_by_id_in_either_order_and_only_a_licences_own_jobs()
    {
        var jobs = Enumerable.Range(0, 5).Select(i => NewTask(created: T0.AddSeconds(i))).ToList();
        foreach (var job in jobs)
        {
            await _store.InsertAsync(job);
        }
        await _store.InsertAsync(NewTask(licence: 8));
        await _store.InsertAsync(NewTask(MediaKinds.Image));

        var newest = await _store.ListAsync(7, MediaKinds.Video, after: null, limit: 2, ascending: false);
        var next = await _store.ListAsync(7, MediaKinds.Video, after: newest[^1].Id, limit: 2, ascending: false);
        var oldest = await _store.ListAsync(7, MediaKinds.Video, after: null, limit: 10, ascending: true);

        Assert.Equal([jobs[4].Id, jobs[3].Id], newest.Select(static t => t.Id));
        Assert.Equal([jobs[2].Id, jobs[1].Id], next.Select(static t => t.Id));
        Assert.Equal(jobs.Select(static t => t.Id), oldest.Select(static t => t.Id));
    }

    [Fact]
    public async Task Due_jobs_are_unfinished_ones_whose_poll_time_has_come()
    {
        var due = NewTask();
        var later = NewTask() with { NextPollAt = T0.AddMinutes(5) };
        var done = NewTask() with { Status = MediaTaskStatus.Completed };
        foreach (var task in new[] { due, later, done })
        {
            await _store.InsertAsync(task);
        }

        var found = await _store.DueAsync(T0.AddSeconds(1), 10);

        Assert.Equal([due.Id], found.Select(static t => t.Id));
    }

    [Fact]
    public async Task A_claim_leases_each_due_job_once_until_its_lease_ends_and_the_claimer_writes_on_the_claimed_version()
    {
        var due = NewTask();
        var later = NewTask() with { NextPollAt = T0.AddMinutes(5) };
        await _store.InsertAsync(due);
        await _store.InsertAsync(later);
        var lease = TimeSpan.FromSeconds(30);

        var claimed = Assert.Single(await _store.ClaimDueAsync(T0.AddSeconds(1), lease, 10));
        var again = await _store.ClaimDueAsync(T0.AddSeconds(2), lease, 10);
        var staleWrite = await _store.TryUpdateAsync(due with { Version = 1, Progress = 50 });
        // The claimer dies without writing: when its lease ends the job is due again, for anyone.
        var takenOver = Assert.Single(await _store.ClaimDueAsync(T0.AddSeconds(32), lease, 10));
        var lateWrite = await _store.TryUpdateAsync(claimed with { Progress = 60 });
        var written = await _store.TryUpdateAsync(takenOver with { Progress = 70, NextPollAt = T0.AddSeconds(40) });

        Assert.Equal((due.Id, 2L, T0.AddSeconds(31)), (claimed.Id, claimed.Version, claimed.NextPollAt));
        Assert.Empty(again);
        Assert.Null(staleWrite);
        Assert.Equal((due.Id, 3L), (takenOver.Id, takenOver.Version));
        Assert.Null(lateWrite);
        Assert.Equal((MediaTaskStatus.Queued, 70, 4L), await Summary(due.Id));
        // A claim changes nothing a client sees.
        Assert.Equal(due.UpdatedAt, written!.UpdatedAt);
    }

    [Fact]
    public async Task Nodes_claiming_at_once_each_take_different_jobs_and_together_take_every_due_one()
    {
        var jobs = Enumerable.Range(0, 60).Select(i => NewTask(created: T0.AddMilliseconds(i))).ToList();
        foreach (var job in jobs)
        {
            await _store.InsertAsync(job);
        }

        // Four "nodes", each its own Database (its own pool), claiming small batches as fast as they can.
        var nodes = Enumerable.Range(0, 4).Select(_ => new SqlTaskStore(_db.Open())).ToList();
        var claims = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await node.ClaimDueAsync(T0.AddSeconds(1), TimeSpan.FromMinutes(1), 3) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(static t => t.Id));
            }
            return mine;
        })));

        var all = claims.SelectMany(static c => c).ToList();
        Assert.Equal(jobs.Count, all.Count);
        Assert.Equal(jobs.Select(static j => j.Id).Order(), all.Order());
    }

    [Fact]
    public async Task Expired_jobs_are_found_and_deleted()
    {
        var expired = NewTask() with { Status = MediaTaskStatus.Completed, ExpiresAt = T0.AddDays(1) };
        await _store.InsertAsync(expired);

        Assert.Empty(await _store.ExpiredAsync(T0, 10));
        Assert.Equal([expired.Id], (await _store.ExpiredAsync(T0.AddDays(2), 10)).Select(static t => t.Id));
        Assert.True(await _store.DeleteAsync(expired.Id));
        Assert.Null(await _store.GetAsync(expired.Id));
        Assert.False(await _store.DeleteAsync(expired.Id));
    }

    [Fact]
    public void Ids_are_unguessable_lowercase_alphanumeric_after_their_prefix()
    {
        var ids = Enumerable.Range(0, 100).Select(static _ => MediaTaskIds.New(MediaKinds.Video)).ToHashSet();

        Assert.Equal(100, ids.Count);
        Assert.All(ids, static id => Assert.Matches("^video_[0-9a-f]{32}$", id));
        Assert.StartsWith("img_", MediaTaskIds.New(MediaKinds.Image), StringComparison.Ordinal);
        Assert.All(ids, static id => Assert.True(MediaTaskIds.IsWellFormed(id)));
        Assert.False(MediaTaskIds.IsWellFormed("video_../../etc/passwd"));
        Assert.False(MediaTaskIds.IsWellFormed("video_0123456789ABCDEF0123456789abcdef"));
    }

    private async Task<(string, int, long)> Summary(string id)
    {
        var task = (await _store.GetAsync(id))!;
        return (task.Status, task.Progress, task.Version);
    }
}

public sealed class SqliteTaskStoreTests() : TaskStoreTests(new TempSqliteDatabase());

public sealed class PostgresTaskStoreTests() : TaskStoreTests(TempPostgresDatabase.Create());
