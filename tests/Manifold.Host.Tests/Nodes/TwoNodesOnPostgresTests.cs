using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Manifold.Host.Storage;
using Manifold.Host.Tests.Storage;
using Manifold.Tests.Processes;

namespace Manifold.Host.Tests.Nodes;

/// <summary>
/// Two gateway processes on one PostgreSQL and one shared media folder, behind nothing: video jobs made on node A, A killed
/// with SIGKILL while they run, and node B taking them over when their leases end, each job submitted once, never polled by
/// two nodes at once, collected once; licences created, revoked and used across the nodes, A restarted.
/// </summary>
public sealed class TwoNodesOnPostgresTests : IAsyncLifetime
{
    private const string AdminKey = "admin-key-for-two-nodes-0123456789";
    private const string BootstrapKey = "bootstrap-key-for-two-nodes-0123456789";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-nodes-" + Guid.NewGuid().ToString("N")[..12]);
    private TempPostgresDatabase _db = null!;
    private CountingVideoUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _db = await TempPostgresDatabase.CreateAsync();
        _upstream = await CountingVideoUpstream.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _db.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private Task<HostProcess> StartNodeAsync(string name) => HostProcess.StartAsync(new Dictionary<string, string>
    {
        ["Manifold__Storage__Provider"] = "postgres",
        ["Manifold__Storage__ConnectionString"] = _db.ConnectionString,
        // Each node its own data folder; the media folder and the link-signing secret are shared, as several nodes need.
        ["Manifold__DataPath"] = Path.Combine(_root, name),
        ["Manifold__Media__Path"] = Path.Combine(_root, "media"),
        ["Manifold__Media__SigningKey"] = "shared-signing-key-0123456789abcdef0123456789",
        ["Manifold__BootstrapKey"] = BootstrapKey,
        ["Manifold__Admin__Key"] = AdminKey,
        ["Manifold__Platforms__sora__Plugin"] = "sora",
        ["Manifold__Platforms__sora__BaseUrl"] = _upstream.BaseUrl,
        ["Manifold__Platforms__sora__Accounts__0"] = "sk-upstream-shared-by-both-nodes",
        ["Manifold__Tasks__PollInterval"] = "00:00:00.500",
        ["Manifold__Tasks__Lease"] = Lease.ToString("c"),
    });

    [Fact]
    public async Task A_killed_nodes_jobs_are_finished_once_by_the_other_and_licences_follow_across_nodes()
    {
        var a = await StartNodeAsync("a");
        await using var b = await StartNodeAsync("b");
        using var clientA = Client(a, BootstrapKey);
        using var clientB = Client(b, BootstrapKey);

        // A licence made on A works on B at once; revoked on A, B refuses it within 5 s though B had it cached.
        var (idCreatedOnA, keyCreatedOnA) = await CreateLicenceAsync(a, "made-on-a");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(b, keyCreatedOnA));
        await RevokeAsync(a, idCreatedOnA);
        Assert.True(await EventuallyAsync(async () => await StatusAsync(b, keyCreatedOnA) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5)),
            "B still accepts a licence A revoked");

        // Jobs made on A; A polls them (and B may take some); A dies mid-job.
        var prompts = Enumerable.Range(0, 4).Select(static i => $"a lighthouse in a storm, take {i}").ToList();
        var ids = new List<string>();
        foreach (var prompt in prompts)
        {
            ids.Add(await CountingVideoUpstream.CreateVideoAsync(clientA, prompt));
        }
        Assert.True(await EventuallyAsync(() => Task.FromResult(_upstream.Polls.Count == prompts.Count), TimeSpan.FromSeconds(60)), "no node polled the jobs");
        await a.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        var logOfA = a.Log;
        await a.DisposeAsync();

        // B takes them over when their leases end and completes each.
        Assert.True(await EventuallyAsync(async () => (await StatusesAsync(ids)).All(static s => s == "completed"), TimeSpan.FromMinutes(2)),
            $"jobs did not complete: {string.Join(", ", await StatusesAsync(ids))}{Environment.NewLine}{b.Log}");

        Assert.All(prompts, prompt => Assert.Equal(1, _upstream.SubmissionsByPrompt[prompt]));
        // Never two polls of one job at once, on either node, before or after the kill.
        Assert.All(_upstream.MostPollsAtOnce, pair => Assert.Equal(1, pair.Value));
        // Each collected once, by B, after A was gone.
        Assert.Equal(prompts.Count, _upstream.Downloads.Count);
        Assert.All(_upstream.Downloads, pair => Assert.True(Assert.Single(pair.Value) > killedAt, "collected before the kill"));
        Assert.DoesNotContain("-> completed", logOfA, StringComparison.Ordinal);
        Assert.Equal(prompts.Count, CountOccurrences(b.Log, "-> completed"));
        // The video is served from the shared folder by the node that did not make the job.
        var content = await clientB.GetAsync($"v1/videos/{ids[0]}/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.StartsWith("not really an mp4, but video_up_", await content.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A restarted: a licence revoked on B is refused on A, one made on A works on B, and a revocation on B reaches A's cache.
        var (idMadeBeforeRestart, keyMadeBeforeRestart) = await CreateLicenceAsync(b, "revoked-while-a-was-down");
        await RevokeAsync(b, idMadeBeforeRestart);
        await using var restarted = await StartNodeAsync("a");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(restarted, keyMadeBeforeRestart));
        var (idMadeOnRestarted, keyMadeOnRestarted) = await CreateLicenceAsync(restarted, "made-on-restarted-a");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(b, keyMadeOnRestarted));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(restarted, keyMadeOnRestarted));
        await RevokeAsync(b, idMadeOnRestarted);
        Assert.True(await EventuallyAsync(async () => await StatusAsync(restarted, keyMadeOnRestarted) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5)),
            "the restarted A still accepts a licence B revoked");
    }

    private static HttpClient Client(HostProcess node, string key)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<(long Id, string Key)> CreateLicenceAsync(HostProcess node, string name)
    {
        using var admin = Client(node, AdminKey);
        var response = await admin.PostAsJsonAsync("admin/api/licences", new { name });
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, created.ToJsonString());
        return (created["id"]!.GetValue<long>(), created["key"]!.GetValue<string>());
    }

    private static async Task RevokeAsync(HostProcess node, long id)
    {
        using var admin = Client(node, AdminKey);
        var response = await admin.DeleteAsync($"admin/api/licences/{id}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpStatusCode> StatusAsync(HostProcess node, string key)
    {
        using var client = Client(node, key);
        return (await client.GetAsync("v1/models")).StatusCode;
    }

    /// <summary>The jobs' statuses as the shared database holds them (a client's read would poll the upstream itself).</summary>
    private async Task<List<string>> StatusesAsync(IReadOnlyList<string> ids)
    {
        var statuses = new List<string>();
        await using var connection = await _db.Database.OpenConnectionAsync();
        foreach (var id in ids)
        {
            await using var command = connection.Command("SELECT status FROM media_tasks WHERE id = @id;");
            command.AddParameter("@id", id);
            statuses.Add((string)(await command.ExecuteScalarAsync())!);
        }
        return statuses;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return await condition();
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
