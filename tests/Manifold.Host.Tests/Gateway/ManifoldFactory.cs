using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Manifold.Host.Tests.Gateway;

/// <summary>
/// Manifold configured exactly as an operator would, through the documented configuration keys
/// (the same ones as the <c>Manifold__...</c> environment variables), with its own SQLite file.
/// </summary>
public sealed class ManifoldFactory : WebApplicationFactory<Program>
{
    public const string LicenceKey = "mf-test-licence-key";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _databasePath;
    private readonly bool _ownsDatabase;

    /// <param name="databasePath">A database file to share with another factory (a restart); by default a fresh one, deleted on dispose.</param>
    public ManifoldFactory(IDictionary<string, string?> settings, string? databasePath = null)
    {
        _ownsDatabase = databasePath is null;
        _databasePath = databasePath ?? Path.Combine(Path.GetTempPath(), $"manifold-test-{Guid.NewGuid():N}.db");
        _settings = new Dictionary<string, string?>(settings)
        {
            ["Manifold:BootstrapKey"] = LicenceKey,
        };
        // A test on PostgreSQL names its own storage; the others get a SQLite file of their own.
        _settings.TryAdd("Manifold:Storage:Provider", "sqlite");
        _settings.TryAdd("Manifold:Storage:ConnectionString", $"Data Source={_databasePath}");
    }

    /// <summary>A factory whose platform <c>up</c> (plugin <c>openai</c>) points at <paramref name="upstreamBaseUrl"/>.</summary>
    public static ManifoldFactory WithOpenAIUpstream(string upstreamBaseUrl, params string[] accountKeys) =>
        WithOpenAIUpstream(upstreamBaseUrl, new Dictionary<string, string?>(), accountKeys);

    /// <summary>The same, with more settings (e.g. <c>Manifold:Gateway:Timeouts:Idle</c>).</summary>
    public static ManifoldFactory WithOpenAIUpstream(string upstreamBaseUrl, IDictionary<string, string?> extra, params string[] accountKeys)
    {
        var settings = new Dictionary<string, string?>(extra)
        {
            ["Manifold:Platforms:up:Plugin"] = "openai",
            ["Manifold:Platforms:up:BaseUrl"] = upstreamBaseUrl,
        };
        var keys = accountKeys.Length == 0 ? ["sk-upstream-1"] : accountKeys;
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Manifold:Platforms:up:Accounts:{i}:Key"] = keys[i];
        }
        return new ManifoldFactory(settings);
    }

    /// <summary>
    /// One platform of each text kind on the loopback upstream at <paramref name="root"/>: <c>openai</c> (under /v1),
    /// <c>claude</c>, <c>gemini</c>, and <c>compat</c> (openai-compatible under /compat/v1, serving <c>deepseek-*</c>).
    /// </summary>
    public static ManifoldFactory WithEveryTextPlatform(string root, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            ["Manifold:Platforms:openai:Plugin"] = "openai",
            ["Manifold:Platforms:openai:BaseUrl"] = root + "/v1",
            ["Manifold:Platforms:openai:Accounts:0:Key"] = "sk-openai",
            ["Manifold:Platforms:claude:Plugin"] = "claude",
            ["Manifold:Platforms:claude:BaseUrl"] = root,
            ["Manifold:Platforms:claude:Accounts:0:Key"] = "sk-ant",
            ["Manifold:Platforms:gemini:Plugin"] = "gemini",
            ["Manifold:Platforms:gemini:BaseUrl"] = root,
            ["Manifold:Platforms:gemini:Accounts:0:Key"] = "AIza-upstream",
            ["Manifold:Platforms:compat:Plugin"] = "openai-compatible",
            ["Manifold:Platforms:compat:BaseUrl"] = root + "/compat/v1",
            ["Manifold:Platforms:compat:Accounts:0:Key"] = "sk-compat",
            ["Manifold:Platforms:compat:Models:0"] = "deepseek-*",
        };
        return new ManifoldFactory(settings);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Added after appsettings.json, so these win, as the environment variables they stand for would.
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
    }

    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", LicenceKey);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!_ownsDatabase)
        {
            return;
        }
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(_databasePath + suffix);
            }
            catch (IOException)
            {
            }
        }
    }
}
