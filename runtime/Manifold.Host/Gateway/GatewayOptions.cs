namespace Manifold.Host.Gateway;

/// <summary>Request-path tuning, bound from <c>Manifold:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Manifold:Gateway";

    /// <summary>How many accounts one request may try when the upstream fails in a retryable way.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long an account rests after a retryable failure before it is preferred again.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long each platform may take to answer a fan-out call such as the root <c>GET /v1/models</c>.</summary>
    public TimeSpan FanOutTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where plugin assemblies are loaded from; relative paths are under the application's folder.</summary>
    public string PluginsPath { get; set; } = "plugins";
}
