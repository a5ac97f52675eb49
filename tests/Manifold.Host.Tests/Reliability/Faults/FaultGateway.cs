using System.Collections.Concurrent;
using Manifold.Host.Tests.Gateway;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>
/// Manifold with an <c>openai</c>, a <c>claude</c> and a <c>gemini</c> platform (two accounts each) on one
/// <see cref="FaultUpstream"/>, configured through the documented keys: timeouts of a few seconds, small bounds (so the
/// giant line is stopped early and quickly), one attempt per request (a fault is answered, not retried away), and every
/// log line captured so tests can look for keys in it.
/// </summary>
public sealed class FaultGateway : IAsyncLifetime
{
    public const int MaxStreamEventBytes = 4 * 1024 * 1024;
    public const long MaxResponseBytes = 8 * 1024 * 1024;

    // Long enough that a loaded machine (two cores, several test runs at once) never makes a healthy answer look silent;
    // short enough that the hang and silence cases end in seconds. The drip lasts longer than Idle in total.
    public static readonly TimeSpan FirstByte = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);

    private ManifoldFactory _factory = null!;

    public FaultUpstream Upstream { get; private set; } = null!;

    public WebApplicationFactory<Program> Manifold { get; private set; } = null!;

    private readonly Accounts.LogRecorder _log = new();

    /// <summary>Every line the gateway logged (with its structured values and exception), for the key checks.</summary>
    public ConcurrentQueue<string> Log => _log.Entries;

    public async Task InitializeAsync()
    {
        Upstream = await FaultUpstream.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Manifold:Gateway:Timeouts:FirstByte"] = FirstByte.ToString("c"),
            ["Manifold:Gateway:Timeouts:Idle"] = Idle.ToString("c"),
            ["Manifold:Gateway:Limits:MaxStreamEventBytes"] = MaxStreamEventBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Manifold:Gateway:Limits:MaxResponseBytes"] = MaxResponseBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Manifold:Gateway:MaxAttempts"] = "1",
            ["Manifold:Gateway:CoolDown"] = "00:00:00.010",
            ["Manifold:Platforms:openai:Plugin"] = "openai",
            ["Manifold:Platforms:openai:BaseUrl"] = Upstream.Root + "/v1",
            ["Manifold:Platforms:claude:Plugin"] = "claude",
            ["Manifold:Platforms:claude:BaseUrl"] = Upstream.Root,
            ["Manifold:Platforms:gemini:Plugin"] = "gemini",
            ["Manifold:Platforms:gemini:BaseUrl"] = Upstream.Root,
        };
        foreach (var (platform, keys) in FaultUpstream.Keys)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                settings[$"Manifold:Platforms:{platform}:Accounts:{i}:Key"] = keys[i];
            }
        }
        _factory = new ManifoldFactory(settings);
        Manifold = _factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(_log)));
        // Started before the first test, so its start-up is not counted against a test's deadline.
        Manifold.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await Manifold.DisposeAsync();
        await _factory.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    /// <summary>Every direction: each client protocol against each upstream platform, streamed and not.</summary>
    public static TheoryData<ClientProtocol, string, bool> Directions()
    {
        var data = new TheoryData<ClientProtocol, string, bool>();
        foreach (var client in Enum.GetValues<ClientProtocol>())
        {
            foreach (var family in (string[])["openai", "claude", "gemini"])
            {
                data.Add(client, family, true);
                data.Add(client, family, false);
            }
        }
        return data;
    }

    /// <summary>Every direction, streamed only (for faults that exist only in a stream).</summary>
    public static TheoryData<ClientProtocol, string> StreamDirections()
    {
        var data = new TheoryData<ClientProtocol, string>();
        foreach (var client in Enum.GetValues<ClientProtocol>())
        {
            foreach (var family in (string[])["openai", "claude", "gemini"])
            {
                data.Add(client, family);
            }
        }
        return data;
    }
}
