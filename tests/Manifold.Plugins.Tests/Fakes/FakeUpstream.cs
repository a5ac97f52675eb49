using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Manifold.Plugins.Tests.Fakes;

/// <summary>
/// A real HTTP server on a loopback port standing in for api.openai.com, so that the plugin is tested through
/// HttpClient, sockets and chunked streaming as in production. It records each request it receives.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The server's origin, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>Where OpenAI's base URL would point: the origin plus <c>/v1</c>.</summary>
    public Uri BaseUrl => new(Root, "v1");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public RecordedRequest SingleRequest => Assert.Single(Requests);

    /// <summary>Starts a server whose endpoints <paramref name="map"/> defines.</summary>
    public static async Task<FakeUpstream> StartAsync(Action<WebApplication> map)
    {
        var upstream = new FakeUpstream();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body, leaveOpen: true).ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            upstream.Requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                // The target exactly as sent, before Kestrel decodes it: shows how the plugin escaped the path.
                context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
                context.Request.Headers.ToDictionary(static h => h.Key, static h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body));
            await next(context);
        });
        map(app);
        await app.StartAsync();
        upstream._app = app;
        upstream.Root = new Uri(app.Urls.Single() + "/");
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>One request as the fake upstream saw it.</summary>
internal sealed record RecordedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
