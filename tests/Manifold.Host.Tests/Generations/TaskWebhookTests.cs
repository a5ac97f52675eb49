using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;
using static Manifold.Host.Tests.Generations.GenerationTaskTests;

namespace Manifold.Host.Tests.Generations;

/// <summary>
/// Task webhooks through the real host: a /v2 task's <c>notify_hook</c> gets the task object on its terminal state (and on
/// progress when asked), signed the Standard Webhooks way and checked here independently; a receiver that answers 500 is
/// retried with the same <c>webhook-id</c>; every delivery is recorded on the task.
/// </summary>
public sealed class TaskWebhookTests : IDisposable
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string AdminKey = "mf-admin-key-for-webhook-tests-012345";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-hooks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private ManifoldFactory Gateway(string? secret = Secret) => new(new Dictionary<string, string?>
    {
        ["Manifold:Admin:Key"] = AdminKey,
        ["Manifold:DataPath"] = Path.Combine(_root, "data"),
        ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
        ["Manifold:Platforms:sandbox:VideoJobSeconds"] = "2",
        ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
        ["Manifold:Media:Path"] = Path.Combine(_root, "media"),
        // The receiver listens on loopback: only this test lifts the guard.
        ["Manifold:Network:AllowPrivateAddresses"] = "true",
        ["Manifold:Webhooks:Secret"] = secret,
        ["Manifold:Webhooks:RetrySchedule"] = "00:00:00.200,00:00:00.400,00:00:00.400",
    });

    [Fact]
    public async Task Progress_and_the_terminal_state_arrive_signed_with_the_task_object_and_are_recorded_on_the_task()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var manifold = Gateway();
        using var client = manifold.CreateAuthorizedClient();

        var id = (await JsonAsync(await client.PostAsync("/v2/videos/generations", Json($$"""
            {"prompt":"a fox in the snow","model":"sandbox-video","notify_hook":"{{receiver.Url}}","notify_progress":true}
            """))))["task_id"]!.GetValue<string>();
        var received = await receiver.WaitForAsync(all => all.Any(static r => r.Json["status"]!.GetValue<string>() == "SUCCESS"));
        var detail = await WaitForRecordAsync(client, id, static hooks => hooks.All(static h => h!["delivered_at"] is not null));
        var last = received[^1].Json;

        Assert.All(received, r => Assert.True(r.VerifiesWith(Secret), $"signature {r.Signature} of {r.Id}"));
        Assert.All(received, r => Assert.InRange(long.Parse(r.Timestamp), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5));
        Assert.All(received, r => Assert.Equal("", r.Authorization));
        Assert.All(received, r => Assert.Equal(id, r.Json["task_id"]!.GetValue<string>()));
        Assert.Equal(received.Count, received.Select(static r => r.Id).Distinct().Count());
        Assert.All(received, r => Assert.Matches("^msg_[0-9a-f]{32}$", r.Id));
        // Progress came before the end: at least one IN_PROGRESS delivery, and SUCCESS exactly once, with its output.
        Assert.Contains(received, static r => r.Json["status"]!.GetValue<string>() == "IN_PROGRESS");
        Assert.Single(received, static r => r.Json["status"]!.GetValue<string>() == "SUCCESS");
        Assert.Equal(("SUCCESS", "100%"), (last["status"]!.GetValue<string>(), last["progress"]!.GetValue<string>()));
        Assert.StartsWith($"http://localhost/v1/media/{id}/video?expires=", last["data"]!["output"]!.GetValue<string>());
        // The record: one row per event, each delivered on its first attempt with the receiver's 200, the URL without its query.
        var hooks = detail["webhooks"]!.AsArray();
        Assert.Equal(received.Count, hooks.Count);
        Assert.All(hooks, h => Assert.Equal((1, 200, receiver.Url.Split('?')[0]), (h!["attempts"]!.GetValue<int>(), h["last_status"]!.GetValue<int>(), h["url"]!.GetValue<string>())));
        Assert.Equal("task.succeeded", hooks[^1]!["event"]!.GetValue<string>());
        Assert.Equal(received.Select(static r => r.Id).Order(), hooks.Select(static h => h!["id"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task A_receiver_that_answers_500_is_retried_with_the_same_webhook_id_and_body_until_it_answers_200()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = static (_, before) => before < 2 ? 500 : 200;
        await using var manifold = Gateway();
        using var client = manifold.CreateAuthorizedClient();

        var id = (await JsonAsync(await client.PostAsync("/v2/images/generations", Json($$"""
            {"prompt":"a red kite","model":"sandbox-image","size":"64x64","notify_hook":"{{receiver.Url}}"}
            """))))["task_id"]!.GetValue<string>();
        var received = await receiver.WaitForAsync(static all => all.Count >= 3);
        var detail = await WaitForRecordAsync(client, id, static hooks => hooks.Count == 1 && hooks[0]!["delivered_at"] is not null);
        var record = detail["webhooks"]![0]!;
        using var admin = manifold.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var listed = (await JsonAsync(await admin.GetAsync("/admin/api/tasks?kind=image")))["data"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == id)!;

        Assert.Equal(3, received.Count);
        Assert.Single(received.Select(static r => r.Id).Distinct());
        Assert.Single(received.Select(static r => r.Body).Distinct());
        Assert.All(received, r => Assert.True(r.VerifiesWith(Secret)));
        Assert.Equal(("SUCCESS", id), (received[0].Json["status"]!.GetValue<string>(), received[0].Json["task_id"]!.GetValue<string>()));
        Assert.Equal((3, 200, "task.succeeded"), (record["attempts"]!.GetValue<int>(), record["last_status"]!.GetValue<int>(), record["event"]!.GetValue<string>()));
        Assert.Null(record["last_error"]);
        Assert.Null(record["next_attempt_at"]);
        // The operator's view of the task carries the same record.
        Assert.Equal((3, 200), (listed["webhooks"]![0]!["attempts"]!.GetValue<int>(), listed["webhooks"]![0]!["last_status"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_2xx_is_given_up_after_the_schedule_with_its_last_status_recorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = static (_, _) => 503;
        await using var manifold = Gateway();
        using var client = manifold.CreateAuthorizedClient();

        var id = (await JsonAsync(await client.PostAsync("/v2/images/generations", Json($$"""
            {"prompt":"a red kite","model":"sandbox-image","size":"64x64","notify_hook":"{{receiver.Url}}"}
            """))))["task_id"]!.GetValue<string>();
        var detail = await WaitForRecordAsync(client, id, static hooks => hooks.Count == 1 && hooks[0]!["attempts"]!.GetValue<int>() == 4 && hooks[0]!["next_attempt_at"] is null);
        var record = detail["webhooks"]![0]!;
        await Task.Delay(1500);

        // One attempt and the schedule's three retries, then no more.
        Assert.Equal(4, receiver.All.Count);
        Assert.Equal((503, "status 503"), (record["last_status"]!.GetValue<int>(), record["last_error"]!.GetValue<string>()));
        Assert.Null(record["delivered_at"]);
    }

    [Fact]
    public async Task Without_a_configured_secret_one_is_generated_into_the_data_folder_and_signs()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var manifold = Gateway(secret: null);
        using var client = manifold.CreateAuthorizedClient();

        await JsonAsync(await client.PostAsync("/v2/images/generations", Json($$"""
            {"prompt":"a red kite","model":"sandbox-image","size":"64x64","notify_hook":"{{receiver.Url}}"}
            """)));
        var received = await receiver.WaitForAsync(static all => all.Count >= 1);
        var generated = (await File.ReadAllTextAsync(Path.Combine(_root, "data", "webhook-secret"))).Trim();

        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", generated);
        Assert.True(received[0].VerifiesWith(generated));
        Assert.False(received[0].VerifiesWith(Secret));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_root, "data", "webhook-secret")));
        }
    }

    [Fact]
    public async Task A_v1_video_and_an_async_v1_image_take_notify_hook_as_an_extension_and_no_platform_sees_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var manifold = Gateway();
        using var client = manifold.CreateAuthorizedClient();
        var form = new MultipartFormDataContent
        {
            { new StringContent("sandbox-video"), "model" },
            { new StringContent("a heron"), "prompt" },
            { new StringContent("4"), "seconds" },
            { new StringContent(receiver.Url), "notify_hook" },
        };

        var video = (await JsonAsync(await client.PostAsync("/v1/videos", form)))["id"]!.GetValue<string>();
        var image = (await JsonAsync(await client.PostAsync("/v1/images/generations",
            Json($$"""{"model":"sandbox-image","prompt":"a heron","size":"64x64","async":true,"notify_hook":"{{receiver.Url}}"}"""))))["id"]!.GetValue<string>();
        var received = await receiver.WaitForAsync(static all => all.Count >= 2);
        var byTask = received.ToDictionary(static r => r.Json["task_id"]!.GetValue<string>());

        Assert.Equal(2, received.Count);
        Assert.Equal(("SUCCESS", "text-to-video"), (byTask[video].Json["status"]!.GetValue<string>(), byTask[video].Json["action"]!.GetValue<string>()));
        Assert.Equal("SUCCESS", byTask[image].Json["status"]!.GetValue<string>());
        Assert.All(received, r => Assert.True(r.VerifiesWith(Secret)));
        var kept = await JsonAsync(await client.GetAsync($"/v1/images/{image}?detail=true"));
        Assert.Null(kept["detail"]!["parameters"]!["notify_hook"]);
    }

    private static async Task<JsonNode> WaitForRecordAsync(HttpClient client, string id, Func<JsonArray, bool> done)
    {
        var scope = id.StartsWith("img_", StringComparison.Ordinal) ? "images" : "videos";
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var task = await JsonAsync(await client.GetAsync($"/v2/{scope}/generations/{id}?detail=true"));
            var detail = task["detail"]!;
            if ((detail["webhooks"] is JsonArray hooks && hooks.Count > 0 && done(hooks)) || DateTime.UtcNow > deadline)
            {
                return detail;
            }
            await Task.Delay(100);
        }
    }
}
