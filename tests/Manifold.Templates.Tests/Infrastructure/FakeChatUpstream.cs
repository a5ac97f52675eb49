using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Manifold.Templates.Tests.Infrastructure;

/// <summary>
/// An OpenAI-compatible upstream on a free loopback port: <c>POST /v1/chat/completions</c> answers OpenAI's documented
/// chat.completion to the key <see cref="ApiKey"/>, and OpenAI's 401 error to anything else.
/// </summary>
internal sealed class FakeChatUpstream : IAsyncDisposable
{
    public const string ApiKey = "sk-template-test";
    public const string Answer = "Answered through the published plugin.";

    private readonly WebApplication _app;

    private FakeChatUpstream(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>OpenAI-style, including <c>/v1</c>.</summary>
    public Uri BaseUrl { get; }

    public static async Task<FakeChatUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", static (HttpContext http) => http.Request.Headers.Authorization == "Bearer " + ApiKey
            ? Results.Text($$$"""
                {"id":"chatcmpl-template","object":"chat.completion","created":1741569952,"model":"acme-chat",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{{{Answer}}}","refusal":null},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":5,"total_tokens":10}}
                """, "application/json")
            : Results.Text("""{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""",
                "application/json", statusCode: 401));
        await app.StartAsync();
        var root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeChatUpstream(app, new Uri(root.TrimEnd('/') + "/v1"));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
