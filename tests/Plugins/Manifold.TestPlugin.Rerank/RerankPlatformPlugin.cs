using Manifold.Contracts;

namespace Manifold.TestPlugin.Rerank;

/// <summary>The <c>test-rerank</c> plugin kind: platforms that serve <c>POST /v1/rerank</c>, which this plugin's spec adds.</summary>
public sealed class RerankPlatformPlugin : IPlatformPlugin
{
    public string Kind => "test-rerank";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) => new RerankPlatform(settings, services);
}
