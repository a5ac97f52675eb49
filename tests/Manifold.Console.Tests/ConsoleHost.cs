using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Manifold.Host;

namespace Manifold.Console.Tests;

/// <summary>
/// The real gateway on Kestrel at a loopback port (a browser needs a socket, not an in-memory test server), configured as
/// an operator would with the documented keys: an admin key, the sandbox platform with short video jobs, an <c>up</c>
/// platform with one configured account (its upstream is never called), and SQLite and media in a temp folder.
/// </summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    public const string AdminKey = "console-test-admin-key-7f3a";
    public const string BootstrapKey = "mf-console-bootstrap-key";

    private readonly WebApplication _app;
    private readonly string _root;

    private ConsoleHost(WebApplication app, string root, Uri baseAddress)
    {
        _app = app;
        _root = root;
        BaseAddress = baseAddress;
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; }

    public static async Task<ConsoleHost> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"manifold-console-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        // Added last, so these win over appsettings.json and the environment, as the variables they stand for would.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Manifold:Admin:Key"] = AdminKey,
            ["Manifold:BootstrapKey"] = BootstrapKey,
            ["Manifold:DataPath"] = root,
            ["Manifold:Storage:Provider"] = "sqlite",
            ["Manifold:Storage:ConnectionString"] = $"Data Source={Path.Combine(root, "manifold.db")}",
            ["Manifold:Media:Path"] = Path.Combine(root, "media"),
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
            ["Manifold:Platforms:sandbox:VideoJobSeconds"] = "1",
            ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
            ["Manifold:Platforms:up:Plugin"] = "openai",
            ["Manifold:Platforms:up:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Manifold:Platforms:up:Models:0"] = "gpt-up-*",
            ["Manifold:Platforms:up:Accounts:0:Key"] = "sk-configured-account-0001",
            ["Manifold:Platforms:up:Accounts:0:Name"] = "configured",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.AddManifold().BuildManifold();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ConsoleHost(app, root, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client of the gateway itself (licence keys), not of the console.</summary>
    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
