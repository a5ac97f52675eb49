using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Tests.Processes;
using Xunit.Abstractions;

namespace Manifold.Host.Tests.Reliability.Process;

/// <summary>
/// SIGTERM to a real host process with slow streams in flight (docs/operations.md, "Shutdown"): the listener closes at
/// once, streams that finish within <c>Manifold__Gateway__DrainTimeout</c> finish normally, those that would not end with
/// their protocol's error event, the process exits 0, and the drained requests' usage is in the database on restart.
/// </summary>
public sealed class SigtermDrainTests(ITestOutputHelper output) : IDisposable
{
    private readonly ProcessScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    private Dictionary<string, string> Environment(SlowChatUpstream upstream, string drainTimeout) => _scenario.Environment(new Dictionary<string, string>
    {
        ["Manifold__Platforms__slow__Plugin"] = "openai",
        ["Manifold__Platforms__slow__BaseUrl"] = upstream.BaseUrl,
        ["Manifold__Platforms__slow__Accounts__0"] = "sk-upstream-slow",
        ["Manifold__Gateway__DrainTimeout"] = drainTimeout,
    });

    [Fact]
    public async Task Streams_in_flight_finish_within_the_drain_while_new_connections_are_refused_and_their_usage_is_kept()
    {
        // 60 words a quarter of a second apart: 15 s a stream, long enough to see the listener closed while they run.
        const int Words = 60;
        await using var upstream = await SlowChatUpstream.StartAsync(TimeSpan.FromMilliseconds(250));
        var environment = Environment(upstream, "00:03:00");
        await using var host = await HostProcess.StartAsync(environment);
        using var client = ProcessScenario.Client(host);

        var streams = Enumerable.Range(0, 3).Select(_ => ReadStreamAsync(client, "slow/v1/chat/completions", ChatRequest(Words))).ToList();
        Assert.True(await ProcessScenario.EventuallyAsync(() => upstream.Started == 3, TimeSpan.FromMinutes(1)), "the streams did not reach the upstream");

        host.Terminate();
        Assert.True(await ProcessScenario.EventuallyAsync(() => ProcessScenario.RefusesConnectionsAsync(host.BaseAddress), TimeSpan.FromSeconds(30)),
            $"the listener still accepts connections after SIGTERM{System.Environment.NewLine}{host.Log}");
        Assert.True(streams.All(static s => !s.IsCompleted), "the streams were over before the listener closed; the test proves nothing");

        foreach (var body in await Task.WhenAll(streams))
        {
            var events = DataEvents(body);
            Assert.Equal("[DONE]", events[^1]);
            var chunks = events[..^1].Select(static e => JsonNode.Parse(e)!).ToList();
            Assert.DoesNotContain(chunks, static c => c["error"] is not null);
            Assert.Equal(SlowChatUpstream.Words(Words), string.Concat(chunks.Select(static c => c["choices"]?[0]?["delta"]?["content"]?.GetValue<string>())));
            Assert.Equal("stop", chunks.Select(static c => c["choices"]?[0]?["finish_reason"]?.GetValue<string>()).Last(static r => r is not null));
        }
        // The fake counts a stream after its last flush, which may run after the client has read that last byte.
        Assert.True(await ProcessScenario.EventuallyAsync(() => upstream.Finished == 3, TimeSpan.FromSeconds(30)), $"upstream streams finished: {upstream.Finished}");
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        output.WriteLine(host.Log);
        Assert.Contains("Shutdown: every stream finished", host.Log, StringComparison.Ordinal);
        Assert.Contains("Shutdown: wrote the last", host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Shutdown: drain timeout", host.Log, StringComparison.Ordinal);

        // Nothing lost: the three drained requests are in the request log, whole, after a restart on the same database.
        await using var restarted = await HostProcess.StartAsync(environment);
        var drained = (await ProcessScenario.RequestLogAsync(restarted)).Where(static r => r["platform"]?.GetValue<string>() == "slow").ToList();
        Assert.True(drained.Count == 3, $"request log rows of the drained streams: {drained.Count}{System.Environment.NewLine}{host.Log}");
        Assert.All(drained, row =>
        {
            Assert.Equal(200, row["status"]!.GetValue<int>());
            Assert.Null(row["error_code"]?.GetValue<string>());
            Assert.Equal(Words, row["output_tokens"]!.GetValue<long>());
        });
    }

    [Fact]
    public async Task Streams_still_open_when_the_drain_timeout_passes_end_with_their_protocols_error_event()
    {
        // 400 words, 100 s: far past a three-second drain.
        const int Words = 400;
        await using var upstream = await SlowChatUpstream.StartAsync(TimeSpan.FromMilliseconds(250));
        var environment = Environment(upstream, "00:00:03");
        await using var host = await HostProcess.StartAsync(environment);
        using var client = ProcessScenario.Client(host);

        var chat = ReadStreamAsync(client, "slow/v1/chat/completions", ChatRequest(Words));
        // An Anthropic client of the same platform: its stream is converted, and so is how it ends.
        var messages = ReadStreamAsync(client, "slow/v1/messages",
            $$"""{"model":"gpt-slow","max_tokens":1000,"stream":true,"messages":[{"role":"user","content":"{{Words}}"}]}""");
        Assert.True(await ProcessScenario.EventuallyAsync(() => upstream.Started == 2, TimeSpan.FromMinutes(1)), "the streams did not reach the upstream");

        host.Terminate();
        var chatBody = await chat;
        var messagesBody = await messages;

        // OpenAI's stream: words, then one data event holding the error; no [DONE], no finish reason (it did not finish).
        var events = DataEvents(chatBody);
        Assert.DoesNotContain("[DONE]", events);
        var error = JsonNode.Parse(events[^1])!["error"];
        Assert.NotNull(error);
        Assert.Equal("server_shutting_down", error["code"]!.GetValue<string>());
        Assert.Contains("Manifold__Gateway__DrainTimeout", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("w1 w2 ", string.Concat(events[..^1].Select(static e => JsonNode.Parse(e)!["choices"]?[0]?["delta"]?["content"]?.GetValue<string>())), StringComparison.Ordinal);
        Assert.DoesNotContain("\"finish_reason\":\"stop\"", chatBody, StringComparison.Ordinal);

        // Anthropic's stream: an `event: error` whose data is Anthropic's error object, and no message_stop.
        Assert.Contains("event: content_block_delta", messagesBody, StringComparison.Ordinal);
        Assert.DoesNotContain("event: message_stop", messagesBody, StringComparison.Ordinal);
        var lastEvent = messagesBody.TrimEnd().Split("\n\n")[^1];
        Assert.StartsWith("event: error", lastEvent, StringComparison.Ordinal);
        var anthropicError = JsonNode.Parse(lastEvent.Split('\n').Single(static l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])!;
        Assert.Equal("error", anthropicError["type"]!.GetValue<string>());
        Assert.Contains("shutting down", anthropicError["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        output.WriteLine(host.Log);
        Assert.Contains("Shutdown: drain timeout 00:00:03 passed; ending 2 open streams", host.Log, StringComparison.Ordinal);
        // The gateway let go of the upstream calls too.
        Assert.True(await ProcessScenario.EventuallyAsync(() => upstream.Cut == 2, TimeSpan.FromSeconds(30)), $"upstream streams cut: {upstream.Cut}");
        Assert.Equal(0, upstream.Finished);

        await using var restarted = await HostProcess.StartAsync(environment);
        var ended = (await ProcessScenario.RequestLogAsync(restarted)).Where(static r => r["platform"]?.GetValue<string>() == "slow").ToList();
        Assert.Equal(2, ended.Count);
        Assert.All(ended, static row => Assert.Equal("server_shutting_down", row["error_code"]!.GetValue<string>()));
    }

    private static string ChatRequest(int words) =>
        $$"""{"model":"gpt-slow","stream":true,"messages":[{"role":"user","content":"{{words}}"}]}""";

    /// <summary>The stream's whole body, read as it comes; fails unless the answer is a 200 event stream.</summary>
    private static async Task<string> ReadStreamAsync(HttpClient client, string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static List<string> DataEvents(string body) =>
        [.. body.Split('\n').Where(static l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(static l => l["data: ".Length..].TrimEnd('\r'))];
}
