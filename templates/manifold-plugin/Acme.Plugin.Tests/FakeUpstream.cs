using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acme.Plugin.Tests;

/// <summary>
/// The upstream the plugin calls, played on a free loopback port: OpenAI's <c>POST /v1/chat/completions</c> with the
/// answers OpenAI documents (a chat.completion, or chat.completion.chunk events ending in <c>[DONE]</c>), a 401 for any key
/// but <see cref="ApiKey"/>, and a 404 for any model but <see cref="Model"/>.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    public const string ApiKey = "sk-fake-upstream";
    public const string Model = "acme-chat";
    public static readonly string[] Words = ["Hello", " from", " the", " upstream."];

    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The base URL a platform is configured with, OpenAI-style: it includes <c>/v1</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The body of every chat request that reached the fake.</summary>
    public ConcurrentQueue<JsonNode> Requests { get; } = new();

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        // The port is known only once the server listens, so the handler reaches the fake through this variable.
        FakeUpstream? fake = null;
        app.MapPost("/v1/chat/completions", (HttpContext http) => fake!.ChatAsync(http));
        await app.StartAsync();
        var root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeUpstream(app, new Uri(root.TrimEnd('/') + "/v1"));
        return fake;
    }

    private async Task ChatAsync(HttpContext http)
    {
        if (http.Request.Headers.Authorization != "Bearer " + ApiKey)
        {
            await ErrorAsync(http, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
            return;
        }
        var request = (await JsonNode.ParseAsync(http.Request.Body))!;
        Requests.Enqueue(request);
        var model = request["model"]?.GetValue<string>();
        if (model != Model)
        {
            await ErrorAsync(http, 404, $"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found");
            return;
        }

        if (request["stream"]?.GetValue<bool>() != true)
        {
            await Results.Json(new JsonObject
            {
                ["id"] = "chatcmpl-fake-1",
                ["object"] = "chat.completion",
                ["created"] = 1741569952,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = string.Concat(Words) },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 9, ["completion_tokens"] = 4, ["total_tokens"] = 13 },
            }).ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        foreach (var word in Words)
        {
            await SendAsync(http, Chunk(model, new JsonObject { ["content"] = word }, finishReason: null));
        }
        await SendAsync(http, Chunk(model, new JsonObject(), "stop"));
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static JsonObject Chunk(string model, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = "chatcmpl-fake-1",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1741569952,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    private static async Task SendAsync(HttpContext http, JsonObject chunk)
    {
        await http.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
        await http.Response.Body.FlushAsync();
    }

    private static Task ErrorAsync(HttpContext http, int status, string message, string type, string code) =>
        Results.Json(
            new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } },
            statusCode: status).ExecuteAsync(http);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
