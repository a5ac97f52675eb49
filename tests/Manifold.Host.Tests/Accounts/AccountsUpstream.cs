using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Accounts;

/// <summary>
/// A loopback OpenAI Chat Completions API that answers by the account's key, for the account pool's tests: it records which
/// key each call came with. <c>sk-429*</c> keys are rate-limited (429 with <c>Retry-After</c> from <see cref="RetryAfter"/>),
/// keys in <see cref="Rejected"/> get a 401 whose message quotes the key (as OpenAI's does), <c>sk-500*</c> keys a 500. The
/// model <c>gpt-hold</c> holds the answer (and a stream, after its first chunk) until the test releases it.
/// </summary>
internal sealed class AccountsUpstream : IAsyncDisposable
{
    public const string HoldModel = "gpt-hold";

    private readonly LoopbackUpstream _server;

    private AccountsUpstream(LoopbackUpstream server) => _server = server;

    /// <summary>The base URL an <c>openai</c> platform is configured with.</summary>
    public string BaseUrl => _server.Root + "/v1";

    /// <summary>Every call: the key it was made with, the model and the whole body.</summary>
    public ConcurrentQueue<Call> Calls { get; } = new();

    public ConcurrentDictionary<string, string> RetryAfter { get; } = new();

    public ConcurrentDictionary<string, bool> Rejected { get; } = new();

    /// <summary>Each held call's key as it arrives.</summary>
    public Channel<string> Held { get; } = Channel.CreateUnbounded<string>();

    /// <summary>Released once per held call the test lets finish.</summary>
    public SemaphoreSlim Release { get; } = new(0);

    public sealed record Call(string Key, string Model, JsonNode Body);

    /// <summary>The keys of the calls made so far, in order.</summary>
    public List<string> Keys => [.. Calls.Select(static c => c.Key)];

    public static async Task<AccountsUpstream> StartAsync()
    {
        AccountsUpstream? upstream = null;
        var server = await LoopbackUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", (HttpContext http) => upstream!.ChatAsync(http)));
        upstream = new AccountsUpstream(server);
        return upstream;
    }

    private async Task ChatAsync(HttpContext http)
    {
        var key = http.Request.Headers.Authorization.ToString()["Bearer ".Length..];
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        var model = body["model"]!.GetValue<string>();
        Calls.Enqueue(new Call(key, model, body));

        if (key.StartsWith("sk-429", StringComparison.Ordinal))
        {
            http.Response.Headers.RetryAfter = RetryAfter.GetValueOrDefault(key, "120");
            await Error(http, 429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded");
            return;
        }
        if (Rejected.ContainsKey(key))
        {
            await Error(http, 401, $"Incorrect API key provided: {key}. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
            return;
        }
        if (key.StartsWith("sk-500", StringComparison.Ordinal))
        {
            await Error(http, 500, "The server had an error while processing your request.", "server_error", null);
            return;
        }
        var stream = body["stream"]?.GetValue<bool>() == true;
        if (!stream)
        {
            if (model == HoldModel)
            {
                await HoldAsync(key, http.RequestAborted);
            }
            await http.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-accounts",
                @object = "chat.completion",
                created = 1741569952,
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = "Hello!" }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 5, completion_tokens = 2, total_tokens = 7 },
            });
            return;
        }
        http.Response.ContentType = "text/event-stream";
        await Chunk(http, model, """{"role":"assistant","content":"Hel"}""", null);
        if (model == HoldModel)
        {
            await HoldAsync(key, http.RequestAborted);
        }
        await Chunk(http, model, """{"content":"lo!"}""", "stop");
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private async Task HoldAsync(string key, CancellationToken aborted)
    {
        await Held.Writer.WriteAsync(key, aborted);
        await Release.WaitAsync(aborted);
    }

    private static async Task Chunk(HttpContext http, string model, string delta, string? finish)
    {
        var finishJson = finish is null ? "null" : $"\"{finish}\"";
        await http.Response.WriteAsync(
            $$"""data: {"id":"chatcmpl-accounts","object":"chat.completion.chunk","created":1741569952,"model":"{{model}}","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{finishJson}}}]}""" + "\n\n");
        await http.Response.Body.FlushAsync();
    }

    private static Task Error(HttpContext http, int status, string message, string type, string? code)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code } }));
    }

    public async ValueTask DisposeAsync()
    {
        Release.Release(1000);
        await _server.DisposeAsync();
    }
}
