using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Tests.Fakes;

/// <summary>
/// A loopback OpenAI API that answers with the payloads OpenAI documents (chat.completion,
/// chat.completion.chunk SSE ending in [DONE], the error object, the model list). The request's model
/// selects special behaviours: gpt-error-{status}, gpt-gated-stream (waits on <see cref="Gate"/>).
/// An account key of "sk-broken" gets a 500, and "sk-silent" no answer at all (until the caller leaves), for failover
/// tests; gpt-stalled-stream sends one chunk and then nothing.
/// </summary>
public sealed class FakeOpenAIUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAIUpstream(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request received: method, path, Authorization header and body.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Released by a test to let a gated stream continue past its first chunk.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a gated stream's client (Manifold) goes away.</summary>
    public TaskCompletionSource UpstreamAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body);

    public static async Task<FakeOpenAIUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeOpenAIUpstream(app);
        app.MapPost("/v1/chat/completions", fake.ChatAsync);
        app.MapGet("/v1/models", static () => Results.Text(
            """{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},{"id":"gpt-4.1","object":"model","created":1744316542,"owned_by":"system"}]}""",
            "application/json"));
        app.MapGet("/v1/models/{model}", static (string model) => Results.Text(
            $$"""{"id":"{{model}}","object":"model","created":1721172741,"owned_by":"system"}""", "application/json"));
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        return fake;
    }

    public const string CompletionText = "Hello! How can I assist you today?";

    private async Task ChatAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var authorization = http.Request.Headers.Authorization.ToString();
        Requests.Enqueue(new RecordedRequest(http.Request.Method, http.Request.Path, authorization, body));

        var request = JsonNode.Parse(body)!;
        var model = request["model"]!.GetValue<string>();
        var stream = request["stream"]?.GetValue<bool>() == true;

        if (authorization == "Bearer sk-silent")
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
            return;
        }
        if (authorization == "Bearer sk-broken")
        {
            await Error(http, 500, "The server had an error while processing your request.", "server_error", null, null);
            return;
        }
        if (model.StartsWith("gpt-error-", StringComparison.Ordinal))
        {
            var status = int.Parse(model["gpt-error-".Length..]);
            var (type, code) = status switch
            {
                400 => ("invalid_request_error", (string?)"invalid_value"),
                401 => ("invalid_request_error", "invalid_api_key"),
                429 => ("requests", "rate_limit_exceeded"),
                _ => ("server_error", null),
            };
            await Error(http, status, $"Upstream says {status}.", type, status == 400 ? "messages" : null, code);
            return;
        }

        if (model == "gpt-tools")
        {
            await ToolCallAsync(http, stream);
            return;
        }

        if (!stream)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync($$"""
                {
                  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
                  "object": "chat.completion",
                  "created": 1741569952,
                  "model": "{{model}}",
                  "choices": [
                    {
                      "index": 0,
                      "message": { "role": "assistant", "content": "{{CompletionText}}", "refusal": null, "annotations": [] },
                      "logprobs": null,
                      "finish_reason": "stop"
                    }
                  ],
                  "usage": {
                    "prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29,
                    "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
                    "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
                  },
                  "service_tier": "default",
                  "system_fingerprint": "fp_44709d6fcb"
                }
                """);
            return;
        }

        http.Response.ContentType = "text/event-stream; charset=utf-8";
        var includeUsage = request["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        string Chunk(string delta, string finish) =>
            $$"""{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"{{model}}","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish}}}]}""";

        await Send(http, Chunk("""{"role":"assistant","content":"","refusal":null}""", "null"));
        if (model == "gpt-stalled-stream")
        {
            await http.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
            return;
        }
        if (model == "gpt-gated-stream")
        {
            await http.Response.Body.FlushAsync();
            try
            {
                await Gate.Task.WaitAsync(http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                UpstreamAborted.TrySetResult();
                return;
            }
        }
        foreach (var word in new[] { "Hello!", " How can I", " assist you today?" })
        {
            await Send(http, Chunk(JsonSerializer.Serialize(new { content = word }), "null"));
        }
        await Send(http, Chunk("{}", "\"stop\""));
        if (includeUsage)
        {
            await Send(http, """{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""");
        }
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    /// <summary>The documented function-calling answer: one get_weather call, finish_reason tool_calls.</summary>
    private static async Task ToolCallAsync(HttpContext http, bool stream)
    {
        if (!stream)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("""
                {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-tools",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,"annotations":[],
                   "tool_calls":[{"id":"call_abc123","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}
                """);
            return;
        }
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        const string Head = """{"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1699896916,"model":"gpt-tools","choices":[{"index":0,"delta":""";
        await Send(http, Head + """{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_abc123","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}]}""");
        await Send(http, Head + """{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"logprobs":null,"finish_reason":null}]}""");
        await Send(http, Head + """{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"logprobs":null,"finish_reason":null}]}""");
        await Send(http, Head + """{},"logprobs":null,"finish_reason":"tool_calls"}]}""");
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task Send(HttpContext http, string json)
    {
        await http.Response.WriteAsync("data: " + json + "\n\n");
        await http.Response.Body.FlushAsync();
    }

    private static Task Error(HttpContext http, int status, string message, string type, string? param, string? code)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { message, type, param, code } }));
    }

    public async ValueTask DisposeAsync()
    {
        Gate.TrySetResult();
        await _app.DisposeAsync();
    }
}
