using Manifold.Contracts;

namespace Manifold.Plugins.Sandbox;

/// <summary>
/// The <c>sandbox</c> plugin kind: answers locally, with no upstream and no credentials, so a fresh install
/// can be tried at once (<c>POST /sandbox/v1/chat/completions</c>), tool calls and streaming included.
/// </summary>
public sealed class SandboxPlugin : IPlatformPlugin
{
    public string Kind => "sandbox";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) => new SandboxPlatform(settings.Name, services.Time);
}
