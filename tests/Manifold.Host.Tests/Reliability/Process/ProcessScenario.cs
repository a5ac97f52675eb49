using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Manifold.Tests.Processes;

namespace Manifold.Host.Tests.Reliability.Process;

/// <summary>
/// What the process tests share: one temporary folder holding the SQLite database and the data folder, which every host a
/// test starts (and restarts) uses; the keys; the admin API's reads; and waits that poll rather than sleep.
/// </summary>
internal sealed class ProcessScenario : IDisposable
{
    public const string AdminKey = "admin-key-for-process-tests-0123456789";
    public const string BootstrapKey = "bootstrap-key-for-process-tests-0123456789";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-process-" + Guid.NewGuid().ToString("N")[..12]);

    public ProcessScenario() => Directory.CreateDirectory(_root);

    /// <summary>The host's environment: this scenario's storage and keys, then <paramref name="extra"/>.</summary>
    public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["Manifold__DataPath"] = Path.Combine(_root, "data"),
            ["Manifold__Storage__ConnectionString"] = "Data Source=" + Path.Combine(_root, "manifold.db"),
            ["Manifold__BootstrapKey"] = BootstrapKey,
            ["Manifold__Admin__Key"] = AdminKey,
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }
        return environment;
    }

    public static HttpClient Client(HostProcess host, string key = BootstrapKey)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The request log, newest first (<c>GET /admin/api/requests</c>).</summary>
    public static async Task<List<JsonNode>> RequestLogAsync(HostProcess host)
    {
        using var admin = Client(host, AdminKey);
        return await ListAsync(admin, "admin/api/requests?limit=500");
    }

    public static async Task<List<JsonNode>> ListAsync(HttpClient admin, string path)
    {
        var response = await admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return [.. JsonNode.Parse(body)!["data"]!.AsArray().Select(static n => n!)];
    }

    public static async Task<JsonNode> PostJsonAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>True when a new TCP connection to <paramref name="address"/> is refused: nothing listens there any more.</summary>
    public static async Task<bool> RefusesConnectionsAsync(Uri address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return await condition();
    }

    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within) => EventuallyAsync(() => Task.FromResult(condition()), within);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A host being killed may still hold a file for a moment; the temporary folder is the system's to clean then.
        }
    }
}
