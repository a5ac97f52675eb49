using Manifold.Contracts;

namespace Acme.Plugin;

/// <summary>
/// The plugin's entry point, the <c>acme</c> kind. The gateway finds this type by scanning the plugin's assembly (so it is
/// public, with a public parameterless constructor) and calls <see cref="CreatePlatform"/> once for every platform an
/// operator configures with <c>Manifold__Platforms__&lt;name&gt;__Plugin=acme</c>.
/// </summary>
public sealed class ChatPlatformPlugin : IPlatformPlugin
{
    public string Kind => "acme";

    public IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services)
    {
        // Thrown at startup, so the operator reads which setting is missing instead of seeing requests fail.
        var baseUrl = settings.BaseUrl ?? throw new InvalidOperationException(
            $"Platform '{settings.Name}' uses plugin '{Kind}', which needs a BaseUrl: set Manifold__Platforms__{settings.Name}__BaseUrl " +
            "to the upstream's OpenAI-style base URL, including its version (https://api.example.com/v1).");

        // services.Http is the gateway's pooled client, with its connect, first-byte and idle timeouts: use it, never dispose it.
        return new ChatPlatform(settings.Name, baseUrl, services.Http);
    }
}
