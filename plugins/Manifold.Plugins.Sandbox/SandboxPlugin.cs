using Manifold.Contracts;

namespace Manifold.Plugins.Sandbox;

/// <summary>
/// The <c>sandbox</c> plugin kind: answers locally, with no upstream and no credentials, so a fresh install
/// can be tried at once (<c>POST /sandbox/v1/chat/completions</c>), tool calls and streaming included.
/// </summary>
public sealed class SandboxPlugin : IPlatformPlugin
{
    public string Kind => "sandbox";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services) => new SandboxPlatform(settings.Name, services.Time)
    {
        // Manifold__Platforms__<name>__VideoJobSeconds: how long a sandbox video job shows progress before it completes.
        JobDuration = settings.Options.TryGetValue("VideoJobSeconds", out var seconds)
            && double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromSeconds(value)
            : TimeSpan.FromSeconds(8),
    };
}
