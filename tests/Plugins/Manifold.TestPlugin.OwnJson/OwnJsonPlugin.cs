using Manifold.Contracts;

namespace Manifold.TestPlugin.OwnJson;

/// <summary>The <c>test-own-json</c> kind.</summary>
public sealed class OwnJsonPlugin : IPlatformPlugin
{
    public string Kind => "test-own-json";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) => new OwnJsonPlatform(settings.Name);
}
