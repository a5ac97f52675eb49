using System.Net;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Nodes;
using Manifold.Tests.Processes;

namespace Manifold.Host.Tests.Reliability.Process;

/// <summary>
/// Media jobs across the end of a real host process on one SQLite database: killed with SIGKILL mid-job and restarted,
/// every job is submitted upstream once and completes once, and what was written before the kill (a licence, an account,
/// the request log) is there; stopped with SIGTERM mid-poll, the node hands its leased jobs back, so the restarted node
/// finishes them long before their lease would have run out.
/// </summary>
public sealed class MediaJobProcessTests : IDisposable
{
    private readonly ProcessScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    private Dictionary<string, string> Environment(CountingVideoUpstream upstream, TimeSpan lease) => _scenario.Environment(new Dictionary<string, string>
    {
        ["Manifold__Platforms__sora__Plugin"] = "sora",
        ["Manifold__Platforms__sora__BaseUrl"] = upstream.BaseUrl,
        ["Manifold__Platforms__sora__Accounts__0"] = "sk-upstream-configured",
        ["Manifold__Tasks__PollInterval"] = "00:00:00.500",
        ["Manifold__Tasks__Lease"] = lease.ToString("c"),
        ["Manifold__Gateway__DrainTimeout"] = "00:00:05",
    });

    [Fact]
    public async Task After_a_SIGKILL_the_restarted_host_completes_every_job_once_and_keeps_what_was_written()
    {
        await using var upstream = await CountingVideoUpstream.StartAsync();
        var environment = Environment(upstream, TimeSpan.FromSeconds(3));
        var host = await HostProcess.StartAsync(environment);
        long licenceId;
        string licenceKey;
        List<string> ids = [];
        var prompts = Enumerable.Range(0, 3).Select(static i => $"a harbour at dawn, take {i}").ToList();
        try
        {
            using var admin = ProcessScenario.Client(host, ProcessScenario.AdminKey);
            var licence = await ProcessScenario.PostJsonAsync(admin, "admin/api/licences", new { name = "made-before-the-kill" });
            (licenceId, licenceKey) = (licence["id"]!.GetValue<long>(), licence["key"]!.GetValue<string>());
            await ProcessScenario.PostJsonAsync(admin, "admin/api/platforms/sora/accounts", new { key = "sk-upstream-added-before-the-kill", name = "added-before-the-kill" });

            using var client = ProcessScenario.Client(host, licenceKey);
            foreach (var prompt in prompts)
            {
                ids.Add(await CountingVideoUpstream.CreateVideoAsync(client, prompt));
            }
            // Written, not just queued: the usage writer empties its queue every 500 ms; what a SIGKILL can lose is what it has not yet written.
            Assert.True(await ProcessScenario.EventuallyAsync(async () => (await LicenceRequestsAsync(host, licenceId)).Count == prompts.Count, TimeSpan.FromSeconds(30)),
                "the video requests never reached the request log");
            Assert.True(await ProcessScenario.EventuallyAsync(() => upstream.Polls.Count == prompts.Count, TimeSpan.FromMinutes(1)), "the jobs were never polled");
            await host.KillAsync();
            Assert.DoesNotContain("Shutdown:", host.Log, StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }

        await using var restarted = await HostProcess.StartAsync(environment);
        using var restartedAdmin = ProcessScenario.Client(restarted, ProcessScenario.AdminKey);
        Assert.True(await ProcessScenario.EventuallyAsync(async () => (await StatusesAsync(restartedAdmin, ids)).All(static s => s == "completed"), TimeSpan.FromMinutes(2)),
            $"jobs did not complete: {string.Join(", ", await StatusesAsync(restartedAdmin, ids))}{System.Environment.NewLine}{restarted.Log}");

        // Exactly once: one submission per job (the kill did not make a client's job be sent again), one collection each.
        Assert.All(prompts, prompt => Assert.Equal(1, upstream.SubmissionsByPrompt[prompt]));
        Assert.Equal(prompts.Count, upstream.Downloads.Count);
        Assert.All(upstream.Downloads, static pair => Assert.Single(pair.Value));

        // What was written before the kill is all there: the licence works, the account is in the pool, the requests are logged.
        using var licensed = ProcessScenario.Client(restarted, licenceKey);
        Assert.Equal(HttpStatusCode.OK, (await licensed.GetAsync("v1/models")).StatusCode);
        var accounts = await ProcessScenario.ListAsync(restartedAdmin, "admin/api/platforms/sora/accounts");
        Assert.Contains(accounts, static a => a["name"]?.GetValue<string>() == "added-before-the-kill");
        Assert.Equal(prompts.Count, (await LicenceRequestsAsync(restarted, licenceId)).Count);
    }

    [Fact]
    public async Task After_a_SIGTERM_mid_poll_the_jobs_leases_are_handed_back_and_the_next_node_takes_them_at_once()
    {
        // Each poll held four seconds, so the SIGTERM lands while the node holds the jobs; a ten-minute lease, so only a
        // handed-back lease lets the next node poll them within the test.
        await using var upstream = await CountingVideoUpstream.StartAsync(pollHold: TimeSpan.FromSeconds(4));
        var environment = Environment(upstream, TimeSpan.FromMinutes(10));
        var prompts = Enumerable.Range(0, 2).Select(static i => $"a lighthouse at dusk, take {i}").ToList();
        List<string> ids = [];
        await using (var host = await HostProcess.StartAsync(environment))
        {
            using var client = ProcessScenario.Client(host);
            foreach (var prompt in prompts)
            {
                ids.Add(await CountingVideoUpstream.CreateVideoAsync(client, prompt));
            }
            // Both polled once, and one poll (or both: rounds may fall out of step) held upstream right now.
            Assert.True(await ProcessScenario.EventuallyAsync(() => upstream.Polls.Count == prompts.Count && upstream.PollsInFlight > 0, TimeSpan.FromMinutes(1)),
                "the jobs were never polled");

            host.Terminate();
            Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            var handedBack = System.Text.RegularExpressions.Regex.Match(host.Log, @"Shutdown: media poller stopped; (\d+) leased jobs handed back");
            Assert.True(handedBack.Success, host.Log);
            Assert.InRange(int.Parse(handedBack.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, prompts.Count);
        }

        await using var next = await HostProcess.StartAsync(environment);
        using var admin = ProcessScenario.Client(next, ProcessScenario.AdminKey);
        Assert.True(await ProcessScenario.EventuallyAsync(async () => (await StatusesAsync(admin, ids)).All(static s => s == "completed"), TimeSpan.FromMinutes(2)),
            $"jobs did not complete: {string.Join(", ", await StatusesAsync(admin, ids))}{System.Environment.NewLine}{next.Log}");
        Assert.All(prompts, prompt => Assert.Equal(1, upstream.SubmissionsByPrompt[prompt]));
        Assert.Equal(prompts.Count, upstream.Downloads.Count);
    }

    private static async Task<List<JsonNode>> LicenceRequestsAsync(HostProcess host, long licenceId) =>
        [.. (await ProcessScenario.RequestLogAsync(host)).Where(r => r["licence_id"]?.GetValue<long>() == licenceId && r["operation"]?.GetValue<string>() == "createVideo")];

    /// <summary>The jobs' statuses as the database holds them (the admin API reads; a client's read would poll the upstream itself).</summary>
    private static async Task<List<string>> StatusesAsync(HttpClient admin, IReadOnlyList<string> ids)
    {
        var tasks = await ProcessScenario.ListAsync(admin, "admin/api/tasks?limit=100");
        return [.. ids.Select(id => tasks.FirstOrDefault(t => t["id"]?.GetValue<string>() == id)?["status"]?.GetValue<string>() ?? "missing")];
    }
}
