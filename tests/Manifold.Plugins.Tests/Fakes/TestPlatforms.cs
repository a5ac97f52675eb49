using Manifold.Contracts;
using Manifold.Plugins.OpenAI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Manifold.Plugins.Tests.Fakes;

/// <summary>Creates platforms the way the host does: through the plugin, with host-like services.</summary>
internal static class TestPlatforms
{
    public const string PlatformName = "openai";

    /// <summary>A key no test should ever find in an exception message.</summary>
    public const string Key = "sk-test-Zq8v3NcT0pKey";

    // Configured like the host's upstream client: no overall timeout (streams are long), bounded connect.
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = Timeout.InfiniteTimeSpan };

    public static UpstreamAccount Account { get; } = new("0", Key);

    public static PlatformServices Services(HttpClient? http = null, TimeProvider? time = null) =>
        new(http ?? SharedHttp, NullLoggerFactory.Instance, time ?? TimeProvider.System);

    public static IPlatform OpenAI(Uri? baseUrl, IReadOnlyList<string>? models = null, HttpClient? http = null) =>
        new OpenAIPlugin().CreatePlatform(Settings("openai", baseUrl, models), Services(http));

    public static PlatformSettings Settings(string plugin, Uri? baseUrl, IReadOnlyList<string>? models = null) => new()
    {
        Name = PlatformName,
        Plugin = plugin,
        BaseUrl = baseUrl,
        Accounts = [Account],
        Models = models ?? [],
    };

    public static AdapterContext Context(UpstreamAccount? account) => new(PlatformName, account, "req-test");

    public static AdapterContext Context() => Context(Account);
}
