using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Metering;
using Manifold.Host.Tests.Fakes;
using Manifold.Host.Tests.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Manifold.Host.Tests.Metering;

/// <summary>
/// One Manifold for the metering tests, configured as an operator would: an <c>openai</c>, a <c>claude</c> and a
/// <c>gemini</c> platform on <see cref="MeteredUpstream"/>, the sandbox for media, the admin API, and a webhook to a
/// loopback receiver. Each test makes its own licence, so its rows are its own.
/// </summary>
public sealed class MeteringGateway : IAsyncLifetime
{
    public const string AdminKey = "mf-admin-metering-0123456789abcdef";
    public const string WebhookSecret = "whsec-metering";

    private readonly string _media = Path.Combine(Path.GetTempPath(), "manifold-metering-" + Guid.NewGuid().ToString("N"));
    private LoopbackUpstream _receiver = null!;

    public MeteredUpstream Upstream { get; private set; } = null!;

    public ManifoldFactory Manifold { get; private set; } = null!;

    /// <summary>Every webhook delivered: its Authorization header and body.</summary>
    public ConcurrentQueue<(string? Authorization, JsonNode Body)> Webhooks { get; } = new();

    public async Task InitializeAsync()
    {
        Upstream = await MeteredUpstream.StartAsync();
        _receiver = await LoopbackUpstream.StartAsync(app => app.MapPost("/hook", async (HttpContext http) =>
        {
            var body = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!;
            Webhooks.Enqueue((http.Request.Headers.Authorization.ToString(), body));
            return Results.NoContent();
        }));
        Manifold = ManifoldFactory.WithEveryTextPlatform(Upstream.Root, new Dictionary<string, string?>
        {
            ["Manifold:Admin:Key"] = AdminKey,
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
            ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
            ["Manifold:Media:Path"] = _media,
            ["Manifold:Webhooks:Url"] = _receiver.Root + "/hook",
            ["Manifold:Webhooks:Secret"] = WebhookSecret,
        });
    }

    public async Task DisposeAsync()
    {
        await Manifold.DisposeAsync();
        await _receiver.DisposeAsync();
        await Upstream.DisposeAsync();
        if (Directory.Exists(_media))
        {
            Directory.Delete(_media, recursive: true);
        }
    }

    public HttpClient Admin()
    {
        var client = Manifold.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>A client of each protocol, presenting <paramref name="key"/> as its SDK would.</summary>
    public HttpClient OpenAI(string key)
    {
        var client = Manifold.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Anthropic(string key)
    {
        var client = Manifold.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    public HttpClient Gemini(string key)
    {
        var client = Manifold.CreateClient();
        client.DefaultRequestHeaders.Add("x-goog-api-key", key);
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>A new licence with <paramref name="policy"/> (JSON fields besides the name): its id and key.</summary>
    public async Task<(long Id, string Key)> LicenceAsync(string policy = "")
    {
        using var admin = Admin();
        var body = $$"""{"name":"metering-{{Guid.NewGuid():N}}"{{(policy.Length > 0 ? "," + policy : "")}}}""";
        var created = await JsonAsync(await admin.PostAsync("/admin/api/licences", Json(body)), HttpStatusCode.Created);
        return (created["id"]!.GetValue<long>(), created["key"]!.GetValue<string>());
    }

    /// <summary>
    /// The admin API's answer at <paramref name="path"/> once <paramref name="done"/> holds for it. A request is recorded
    /// when it has ended and written in the next batch, so its row appears shortly after its answer; this waits for it
    /// (flushing the writer to be quick), and fails with the last answer if it never comes.
    /// </summary>
    public async Task<JsonArray> WhenAsync(string path, Func<JsonArray, bool> done)
    {
        using var admin = Admin();
        var writer = Manifold.Services.GetRequiredService<UsageWriter>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await writer.FlushAsync(CancellationToken.None);
            var data = (await JsonAsync(await admin.GetAsync(path)))["data"]!.AsArray();
            if (done(data))
            {
                // A flush of the timer's may have written the rows and still be charging their cost and checking quotas:
                // one more flush waits for it, so what follows sees all of it.
                await writer.FlushAsync(CancellationToken.None);
                return data;
            }
            Assert.True(DateTime.UtcNow < deadline, $"GET {path} never got there; last answer: {data.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    /// <summary>The request log of <paramref name="licenceId"/> once it holds <paramref name="count"/> rows, newest first.</summary>
    public Task<JsonArray> LoggedAsync(long licenceId, int count, string query = "") =>
        WhenAsync($"/admin/api/requests?licence_id={licenceId}{query}", data => data.Count >= count);
}
