using Manifold.Host.Admin;
using Manifold.Host.Auth;
using Manifold.Host.Endpoints;
using Manifold.Host.Gateway;
using Manifold.Host.Media;
using Manifold.Host.Generated;
using Manifold.Host.Platforms;
using Manifold.Host.PluginEndpoints;
using Manifold.Host.Metering;

// The content root (appsettings.json, a relative SQLite path) is the app's own folder, not whatever
// directory it was launched from: `dotnet path/to/Manifold.Host.dll` must behave like `dotnet run`.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.ConfigureKestrel(static kestrel => kestrel.AddServerHeader = false);
builder.Services.AddManifoldGateway(builder.Configuration);
builder.Services.AddManifoldAdmin(builder.Configuration);
// The document describes the specs, which do not change while the process runs: it is built once, served from memory,
// and names no server (it must not echo a client's Host header back to everyone).
builder.Services.AddOpenApi(static options => options.AddDocumentTransformer(static (document, _, _) =>
{
    document.Servers = [];
    return Task.CompletedTask;
}));
builder.Services.AddOutputCache();

var app = builder.Build();

// Create the platforms now, so a misconfiguration stops startup with its message instead of failing requests.
var platforms = app.Services.GetRequiredService<PlatformRegistry>();

app.UseRouting();
// Metering first: the licence check's refusals are metered too, and carry the overhead header.
app.UseMiddleware<UsageMiddleware>();
app.UseMiddleware<LicenceMiddleware>();

app.MapManifoldEndpoints();
app.MapMediaFiles();
app.MapManifoldAdmin();
app.UseOutputCache();
app.MapOpenApi().CacheOutput(static policy => policy.Expire(TimeSpan.FromDays(365)).SetVaryByHost(false));
app.MapGet("/healthz", static () => Results.Text("ok"));
// After every route of the host's own, so that a plugin's operation that would share one stops startup instead.
app.MapPluginEndpoints(platforms.Plugins);
app.MapFallback(UnknownPaths.Pattern, UnknownPaths.WriteAsync);

app.Run();

/// <summary>Entry point; public so WebApplicationFactory can find it.</summary>
public partial class Program;
