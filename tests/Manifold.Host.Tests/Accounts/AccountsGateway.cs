using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;
using Manifold.Host.Tests.Licences;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Tests.Accounts;

/// <summary>
/// The real host with one <c>openai</c> platform, <c>up</c>, on an <see cref="AccountsUpstream"/>, its accounts configured
/// through the documented keys (<c>Manifold:Platforms:up:Accounts:{i}:Key</c>, <c>…:Priority</c>, …), the admin API on, and
/// optionally a clock the test moves (<see cref="Clock"/>) and a record of every log entry (<see cref="Logs"/>).
/// </summary>
internal sealed class AccountsGateway : IAsyncDisposable
{
    public const string AdminKey = "mf-admin-accounts-0123456789abcdef0123";
    public const string EncryptionKey = "accounts-test-encryption-secret";
    public const string Platform = "up";

    private readonly ManifoldFactory _factory;

    private readonly bool _ownsUpstream;

    private AccountsGateway(AccountsUpstream upstream, ManifoldFactory factory, WebApplicationFactory<Program> manifold, ManualTimeProvider? clock, LogRecorder? logs,
        bool ownsUpstream)
    {
        _ownsUpstream = ownsUpstream;
        Upstream = upstream;
        _factory = factory;
        Manifold = manifold;
        Clock = clock;
        Logs = logs;
    }

    public AccountsUpstream Upstream { get; }

    public WebApplicationFactory<Program> Manifold { get; }

    /// <summary>The host's clock for timestamps (rests, probes), moved by the test; null when the host keeps the system's.</summary>
    public ManualTimeProvider? Clock { get; }

    public LogRecorder? Logs { get; }

    /// <param name="accounts">Each account's settings under <c>Accounts:{i}</c> (<c>Key</c> at least).</param>
    public static async Task<AccountsGateway> StartAsync(
        IReadOnlyList<IReadOnlyDictionary<string, string>> accounts, IDictionary<string, string?>? extra = null, bool manualClock = false,
        bool recordLogs = false, string? databasePath = null, AccountsUpstream? upstream = null)
    {
        // An upstream passed in (a second node's) stays its creator's to dispose.
        var ownsUpstream = upstream is null;
        upstream ??= await AccountsUpstream.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Manifold:Admin:Key"] = AdminKey,
            ["Manifold:Accounts:EncryptionKey"] = EncryptionKey,
            [$"Manifold:Platforms:{Platform}:Plugin"] = "openai",
            [$"Manifold:Platforms:{Platform}:BaseUrl"] = upstream.BaseUrl,
            [$"Manifold:Platforms:{Platform}:Models:0"] = "gpt-*",
        };
        for (var i = 0; i < accounts.Count; i++)
        {
            foreach (var (name, value) in accounts[i])
            {
                settings[$"Manifold:Platforms:{Platform}:Accounts:{i}:{name}"] = value;
            }
        }
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }
        if (recordLogs)
        {
            // Everything, down to Trace, from every category: a key must not appear at any level.
            settings["Logging:LogLevel:Default"] = "Trace";
            settings["Logging:LogLevel:Microsoft"] = "Trace";
            settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
            settings["Logging:LogLevel:System.Net.Http"] = "Trace";
        }
        var factory = new ManifoldFactory(settings, databasePath);
        var clock = manualClock ? new ManualTimeProvider() : null;
        var logs = recordLogs ? new LogRecorder() : null;
        var manifold = clock is null && logs is null ? factory : factory.WithWebHostBuilder(builder =>
        {
            if (logs is not null)
            {
                builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs));
            }
            if (clock is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
            }
        });
        // Starts the host (migrations, the pools' first load) before the test's first request.
        _ = manifold.Services;
        return new AccountsGateway(upstream, factory, manifold, clock, logs, ownsUpstream);
    }

    public static IReadOnlyDictionary<string, string> Account(string key, int? priority = null, int? weight = null, string? group = null, int? maxConcurrency = null)
    {
        var account = new Dictionary<string, string> { ["Key"] = key };
        if (priority is not null)
        {
            account["Priority"] = priority.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (weight is not null)
        {
            account["Weight"] = weight.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (group is not null)
        {
            account["Group"] = group;
        }
        if (maxConcurrency is not null)
        {
            account["MaxConcurrency"] = maxConcurrency.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return account;
    }

    public HttpClient Client(string? licence = ManifoldFactory.LicenceKey)
    {
        var client = Manifold.CreateClient();
        if (licence is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", licence);
        }
        return client;
    }

    public HttpClient Admin() => Client(AdminKey);

    /// <summary>The answer to <paramref name="call"/>, which must be a 200 (else the test fails with what came instead).</summary>
    public static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A chat request for <paramref name="model"/>, with more top-level fields in <paramref name="extra"/> (<c>,"user":"u"</c>).</summary>
    public static StringContent Chat(string model = "gpt-4o-mini", string extra = "", bool stream = false) =>
        Json($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]{{extra}}}""");

    /// <summary>The platform's accounts as the admin API lists them.</summary>
    public async Task<JsonArray> AccountsAsync()
    {
        using var admin = Admin();
        return JsonNode.Parse(await admin.GetStringAsync($"/admin/api/platforms/{Platform}/accounts"))!["data"]!.AsArray();
    }

    /// <summary>The id of the account with <paramref name="key"/>: its key's fingerprint, for configured and added accounts alike.</summary>
    public static string IdOf(string key) => global::Manifold.Host.Platforms.AccountIds.FromKey(Platform, key);

    /// <summary>One account as the admin API lists it.</summary>
    public async Task<JsonNode> AccountAsync(string key) => (await AccountsAsync()).Single(a => a!["id"]!.GetValue<string>() == IdOf(key))!;

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (_ownsUpstream)
        {
            await Upstream.DisposeAsync();
        }
    }
}

/// <summary>Every log entry of the host: its level, category, formatted message and the values it was given.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(static p => $"{p.Key}={p.Value}")) : "";
            entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {values} | {exception}");
        }
    }
}
