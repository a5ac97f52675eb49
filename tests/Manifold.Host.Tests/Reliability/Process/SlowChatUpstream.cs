using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Reliability.Process;

/// <summary>
/// An OpenAI Chat Completions upstream whose streams drip: the last user message is a number N, and the answer is N
/// words (<c>w1 w2 …</c>), one chunk every <see cref="Interval"/>, then the finish reason, usage when asked, and
/// <c>[DONE]</c>. It counts streams begun, finished to <c>[DONE]</c>, and cut off by the caller.
/// </summary>
internal sealed class SlowChatUpstream : IAsyncDisposable
{
    private readonly LoopbackUpstream _server;
    private int _started;
    private int _finished;
    private int _cut;

    private SlowChatUpstream(LoopbackUpstream server, TimeSpan interval)
    {
        _server = server;
        Interval = interval;
    }

    public TimeSpan Interval { get; }

    public string BaseUrl => _server.Root + "/v1";

    public int Started => Volatile.Read(ref _started);

    public int Finished => Volatile.Read(ref _finished);

    public int Cut => Volatile.Read(ref _cut);

    public static async Task<SlowChatUpstream> StartAsync(TimeSpan interval)
    {
        SlowChatUpstream? upstream = null;
        var server = await LoopbackUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", (HttpContext http) => upstream!.StreamAsync(http)));
        upstream = new SlowChatUpstream(server, interval);
        return upstream;
    }

    /// <summary>The words a stream of <paramref name="count"/> chunks carries, as the client should see them joined.</summary>
    public static string Words(int count) => string.Concat(Enumerable.Range(1, count).Select(static i => $"w{i} "));

    private async Task StreamAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        var messages = body["messages"]!.AsArray();
        // A string, or (from a converted request) content parts: the first text part's.
        var content = messages[^1]!["content"]!;
        var text = content is JsonArray parts ? parts.First(static p => p!["text"] is not null)!["text"]!.GetValue<string>() : content.GetValue<string>();
        var count = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var model = body["model"]!.GetValue<string>();
        var withUsage = body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        Interlocked.Increment(ref _started);
        http.Response.ContentType = "text/event-stream";
        var aborted = http.RequestAborted;
        try
        {
            await WriteAsync(http, Chunk(model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null), aborted);
            for (var i = 1; i <= count; i++)
            {
                await Task.Delay(Interval, aborted);
                await WriteAsync(http, Chunk(model, new JsonObject { ["content"] = $"w{i} " }, null), aborted);
            }
            await WriteAsync(http, Chunk(model, new JsonObject(), "stop"), aborted);
            if (withUsage)
            {
                var usage = new JsonObject
                {
                    ["id"] = "chatcmpl-slow", ["object"] = "chat.completion.chunk", ["created"] = 1_700_000_000, ["model"] = model, ["choices"] = new JsonArray(),
                    ["usage"] = new JsonObject { ["prompt_tokens"] = 3, ["completion_tokens"] = count, ["total_tokens"] = 3 + count },
                };
                await WriteAsync(http, usage, aborted);
            }
            await http.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), aborted);
            await http.Response.Body.FlushAsync(aborted);
            Interlocked.Increment(ref _finished);
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            Interlocked.Increment(ref _cut);
        }
    }

    private static JsonObject Chunk(string model, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = "chatcmpl-slow",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_700_000_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    private static async Task WriteAsync(HttpContext http, JsonObject chunk, CancellationToken cancellationToken)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("data: " + chunk.ToJsonString() + "\n\n"), cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
