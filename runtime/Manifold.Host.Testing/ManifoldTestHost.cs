using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Testing;

/// <summary>
/// The real Manifold gateway, started inside the test process on a free loopback port: the same endpoints, plugin loading,
/// licences, retries and protocol conversion as the gateway operators run, with a fresh database and nothing configured
/// but what the test says.
/// </summary>
/// <example>
/// <code>
/// await using var manifold = await ManifoldTestHost.StartAsync(o => o.AddPlatform("acme", "acme", upstreamUrl, "sk-test"));
/// using var client = manifold.CreateClient();
/// var answer = await client.PostAsJsonAsync("/v1/chat/completions", request);
/// </code>
/// </example>
public sealed class ManifoldTestHost : IAsyncDisposable
{
    /// <summary>The licence the gateway accepts (its bootstrap key); <see cref="CreateClient"/> sends it.</summary>
    public const string LicenceKey = "mf-test-host-licence";

    private readonly WebApplication _app;
    private readonly DirectoryInfo _root;
    private readonly CapturedLog _log;

    private ManifoldTestHost(WebApplication app, DirectoryInfo root, CapturedLog log, Uri baseAddress)
    {
        _app = app;
        _root = root;
        _log = log;
        BaseAddress = baseAddress;
    }

    /// <summary>
    /// Where the package's build step deploys the plugin projects a test project references with <c>ManifoldPlugin="true"</c>:
    /// <c>manifold-plugins/</c> in the test's output folder.
    /// </summary>
    public static string DeployedPluginsPath { get; } = Path.Combine(AppContext.BaseDirectory, "manifold-plugins");

    /// <summary>The gateway's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The gateway's log so far (Information and above), one entry per message: which plugins loaded, what failed.</summary>
    public IReadOnlyCollection<string> Log => _log.Lines;

    /// <summary>Starts a gateway that loads the deployed plugins; <paramref name="configure"/> adds platforms and settings.</summary>
    /// <exception cref="InvalidOperationException">The gateway refused to start (a platform names a plugin that did not load, two plugins share a kind, …); the message quotes its log.</exception>
    public static async Task<ManifoldTestHost> StartAsync(Action<ManifoldTestHostOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new ManifoldTestHostOptions();
        configure?.Invoke(options);

        // One folder per gateway for everything it writes (database, media), so tests may run side by side.
        DirectoryInfo root = Directory.CreateTempSubdirectory("manifold-test-host-");
        var log = new CapturedLog();
        WebApplication? app = null;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = root.FullName,
                ApplicationName = typeof(ManifoldApp).Assembly.GetName().Name,
            });
            // Only the test's settings: a developer's Manifold__* environment variables must not change what a test sees.
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(Settings(options, root.FullName));
            // The levels of the host's appsettings.json: without them every request would add lines of ASP.NET's own.
            builder.Logging.ClearProviders().AddProvider(log)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
                .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");

            app = builder.AddManifold().BuildManifold();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);

            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ManifoldTestHost(app, root, log, new Uri(address.TrimEnd('/') + "/"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
            Delete(root);
            throw new InvalidOperationException(
                $"Manifold did not start: {ex.Message}{Environment.NewLine}Its log:{Environment.NewLine}{string.Join(Environment.NewLine, log.Lines)}", ex);
        }
    }

    /// <summary>A client for the gateway, with <see cref="BaseAddress"/> set and the licence sent as a Bearer token.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", LicenceKey);
        return client;
    }

    /// <summary>Stops the gateway and deletes what it wrote.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        // Pooled SQLite connections keep the database file open.
        SqliteConnection.ClearAllPools();
        Delete(_root);
    }

    private static Dictionary<string, string?> Settings(ManifoldTestHostOptions options, string root)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Manifold:BootstrapKey"] = LicenceKey,
            ["Manifold:Storage:Provider"] = "sqlite",
            ["Manifold:DataPath"] = root,
            ["Manifold:Storage:ConnectionString"] = "Data Source=" + Path.Combine(root, "manifold.db"),
            ["Manifold:Media:Path"] = Path.Combine(root, "media"),
            // The first-party plugins are not part of this package; only the plugins under test are loaded.
            ["Manifold:Gateway:BuiltInPlugins"] = "false",
        };
        for (int i = 0; i < options.PluginsPaths.Count; i++)
        {
            settings[$"Manifold:Gateway:PluginsPath:{i}"] = Path.GetFullPath(options.PluginsPaths[i]);
        }
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static void Delete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the OS cleans its temporary folder.
        }
    }
}
