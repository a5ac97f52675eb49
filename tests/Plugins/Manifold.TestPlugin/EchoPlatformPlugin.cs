using Manifold.Contracts;

namespace Manifold.TestPlugin;

/// <summary>The <c>test-echo</c> plugin kind.</summary>
public sealed class EchoPlatformPlugin : IPlatformPlugin
{
    public string Kind => "test-echo";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) => new EchoPlatform(settings.Name);
}
