using Manifold.Host.Tests.Fakes;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.PluginEndpoints;

/// <summary>
/// The real host with only tests/Plugins/Manifold.TestPlugin.Rerank loaded (from its own plugins folder), one platform
/// <c>jina</c> of its kind on <see cref="FakeRerankUpstream"/>, with two accounts: <c>sk-limited</c>, which the upstream
/// always rate-limits, and <c>sk-good</c>. Shared by a test class: starting the host once keeps the suite quick.
/// </summary>
public sealed class RerankGateway : IAsyncLifetime
{
    public const string Platform = "jina";

    public const string Model = "jina-reranker-v2-base-multilingual";

    public FakeRerankUpstream Upstream { get; private set; } = null!;

    public ManifoldFactory Manifold { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeRerankUpstream.StartAsync();
        Manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Gateway:PluginsPath"] = Path.Combine(AppContext.BaseDirectory, "rerank-plugins"),
            // The sandbox's plugin lives in the other folder; switch its default platform off.
            ["Manifold:Platforms:sandbox:Enabled"] = "false",
            [$"Manifold:Platforms:{Platform}:Plugin"] = "test-rerank",
            [$"Manifold:Platforms:{Platform}:BaseUrl"] = Upstream.BaseUrl,
            [$"Manifold:Platforms:{Platform}:Accounts:0:Key"] = "sk-limited",
            [$"Manifold:Platforms:{Platform}:Accounts:1:Key"] = "sk-good",
        });
    }

    public async Task DisposeAsync()
    {
        await Manifold.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
