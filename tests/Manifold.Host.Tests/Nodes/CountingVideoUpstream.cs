using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Nodes;

/// <summary>
/// A Videos API upstream (OpenAI's shape, for the <c>sora</c> plugin) that counts what the nodes do to it: submissions per
/// prompt, polls per job and the most that were ever in flight for one job at once (each poll is held a little, so two
/// nodes polling one job together would overlap), and downloads of each job's video. A job completes <see cref="Duration"/>
/// after its submission. Shared by every node, as a real upstream is.
/// </summary>
internal sealed class CountingVideoUpstream : IAsyncDisposable
{
    private readonly LoopbackUpstream _server;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _created = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();

    private int _pollsInFlight;

    private CountingVideoUpstream(LoopbackUpstream server, TimeSpan pollHold)
    {
        _server = server;
        PollHold = pollHold;
    }

    public static TimeSpan Duration { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How long each poll is held before it is answered (200 ms unless the test asks for longer).</summary>
    public TimeSpan PollHold { get; }

    /// <summary>Polls being answered right now, of any job.</summary>
    public int PollsInFlight => Volatile.Read(ref _pollsInFlight);

    public string BaseUrl => _server.Root + "/v1";

    public ConcurrentDictionary<string, int> SubmissionsByPrompt { get; } = new();

    public ConcurrentDictionary<string, int> Polls { get; } = new();

    public ConcurrentDictionary<string, int> MostPollsAtOnce { get; } = new();

    /// <summary>When each job's video was downloaded, each time.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> Downloads { get; } = new();

    public static async Task<CountingVideoUpstream> StartAsync(TimeSpan? pollHold = null)
    {
        CountingVideoUpstream? upstream = null;
        var server = await LoopbackUpstream.StartAsync(app =>
        {
            app.MapPost("/v1/videos", (HttpRequest request) => upstream!.CreateAsync(request));
            app.MapGet("/v1/videos/{id}", (string id) => upstream!.PollAsync(id));
            app.MapGet("/v1/videos/{id}/content", (string id, string? variant) => upstream!.Content(id, variant));
        });
        upstream = new CountingVideoUpstream(server, pollHold ?? TimeSpan.FromMilliseconds(200));
        return upstream;
    }

    private async Task<IResult> CreateAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var prompt = form["prompt"].ToString();
        SubmissionsByPrompt.AddOrUpdate(prompt, 1, static (_, n) => n + 1);
        var id = "video_up_" + Guid.NewGuid().ToString("N")[..12];
        _created[id] = DateTimeOffset.UtcNow;
        return Results.Json(Describe(id));
    }

    private async Task<IResult> PollAsync(string id)
    {
        if (!_created.ContainsKey(id))
        {
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = "No such video.", ["type"] = "invalid_request_error" } }, statusCode: 404);
        }
        Polls.AddOrUpdate(id, 1, static (_, n) => n + 1);
        var now = _inFlight.AddOrUpdate(id, 1, static (_, n) => n + 1);
        MostPollsAtOnce.AddOrUpdate(id, now, (_, most) => Math.Max(most, now));
        Interlocked.Increment(ref _pollsInFlight);
        try
        {
            await Task.Delay(PollHold);
            return Results.Json(Describe(id));
        }
        finally
        {
            Interlocked.Decrement(ref _pollsInFlight);
            _inFlight.AddOrUpdate(id, 0, static (_, n) => n - 1);
        }
    }

    private IResult Content(string id, string? variant)
    {
        if (variant is not (null or "video") || !_created.TryGetValue(id, out var created) || DateTimeOffset.UtcNow - created < Duration)
        {
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = "Not available.", ["type"] = "invalid_request_error" } }, statusCode: 404);
        }
        Downloads.GetOrAdd(id, static _ => new ConcurrentQueue<DateTimeOffset>()).Enqueue(DateTimeOffset.UtcNow);
        return Results.Bytes(Bytes(id), "video/mp4");
    }

    public static byte[] Bytes(string upstreamId) => System.Text.Encoding.ASCII.GetBytes("not really an mp4, but " + upstreamId);

    private JsonObject Describe(string id)
    {
        var created = _created[id];
        var elapsed = DateTimeOffset.UtcNow - created;
        var progress = (int)Math.Clamp(elapsed / Duration * 100, 0, 100);
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "video",
            ["model"] = "sora-2",
            ["status"] = progress >= 100 ? "completed" : "in_progress",
            ["progress"] = progress,
            ["created_at"] = created.ToUnixTimeSeconds(),
            ["size"] = "1280x720",
            ["seconds"] = "4",
        };
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Makes a 4 s sora-2 video job through the gateway behind <paramref name="client"/>; its id.</summary>
    public static async Task<string> CreateVideoAsync(HttpClient client, string prompt)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("sora-2"), "model" },
            { new StringContent(prompt), "prompt" },
            { new StringContent("4"), "seconds" },
            { new StringContent("1280x720"), "size" },
        };
        var response = await client.PostAsync("v1/videos", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }
}
