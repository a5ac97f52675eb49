using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Generations;

/// <summary>
/// A job the poller never saw running: the sandbox finishes in a second, the poller first looks after three, and nobody
/// reads the task in between (the admin API's list reads the row, never the upstream). Its /v2 start_time is still a time.
/// </summary>
public sealed class StartTimeTests : IDisposable
{
    private const string AdminKey = "mf-admin-key-for-start-time-tests-0123";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-v2-start-" + Guid.NewGuid().ToString("N"));
    private readonly ManifoldFactory _manifold;

    public StartTimeTests()
    {
        _manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Admin:Key"] = AdminKey,
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
            ["Manifold:Platforms:sandbox:VideoJobSeconds"] = "1",
            ["Manifold:Tasks:PollInterval"] = "00:00:03",
            ["Manifold:Media:Path"] = Path.Combine(_root, "media"),
        });
    }

    public void Dispose()
    {
        _manifold.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_task_that_finished_between_two_polls_has_a_start_time()
    {
        using var client = _manifold.CreateAuthorizedClient();
        using var admin = _manifold.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

        var created = await GenerationTaskTests.JsonAsync(await client.PostAsync("/v2/videos/generations",
            GenerationTaskTests.Json("""{"prompt":"a heron","model":"sandbox-video","duration":4}""")));
        var id = created["task_id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string status;
        do
        {
            await Task.Delay(250);
            var list = await GenerationTaskTests.JsonAsync(await admin.GetAsync("/admin/api/tasks?kind=video"));
            status = list["data"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == id)!["status"]!.GetValue<string>();
        }
        while (status is not ("completed" or "failed") && DateTime.UtcNow < deadline);
        var done = await GenerationTaskTests.JsonAsync(await client.GetAsync($"/v2/videos/generations/{id}"));

        Assert.Equal("completed", status);
        Assert.Equal("SUCCESS", done["status"]!.GetValue<string>());
        var (submit, start, finish) = (done["submit_time"]!.GetValue<long>(), done["start_time"]!.GetValue<long>(), done["finish_time"]!.GetValue<long>());
        Assert.True(submit > 0 && submit <= start && start <= finish, $"submit {submit}, start {start}, finish {finish}");
    }
}
