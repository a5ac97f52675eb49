using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Tests.Fakes;

/// <summary>
/// A Kestrel server on a free loopback port that plays an upstream API: tests map the official endpoints
/// they need onto it, then point a platform's BaseUrl at <see cref="Root"/>.
/// </summary>
public sealed class LoopbackUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackUpstream(WebApplication app, string root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:51234</c> (no trailing slash).</summary>
    public string Root { get; }

    /// <summary>Starts a server whose endpoints <paramref name="map"/> adds.</summary>
    public static async Task<LoopbackUpstream> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackUpstream(app, root.TrimEnd('/'));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
