namespace Manifold.Host.Gateway;

/// <summary>
/// The request path's log messages. Source-generated, so disabled levels cost nothing; arguments are
/// platform names, account ids and statuses, never keys or bodies.
/// </summary>
public sealed partial class GatewayLog(ILogger<GatewayLog> logger)
{
    [LoggerMessage(1, LogLevel.Warning, "Platform {Platform} account {Account} failed with {Status}; retrying on another account (attempt {Attempt} of {MaxAttempts})")]
    public partial void Retrying(string platform, string account, int status, int attempt, int maxAttempts);

    [LoggerMessage(2, LogLevel.Information, "Platform {Platform} account {Account} answered {Status}: {Message}")]
    public partial void UpstreamFailed(string platform, string account, int status, string message);

    [LoggerMessage(3, LogLevel.Error, "Platform {Platform} threw while handling {Operation}")]
    public partial void PluginFailed(Exception exception, string platform, string operation);

    [LoggerMessage(4, LogLevel.Debug, "Client disconnected during {Operation} on platform {Platform} ({Reason})")]
    public partial void ClientDisconnected(string platform, string operation, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Platform {Platform} left out of {Operation}: {Reason}")]
    public partial void FanOutFailed(string platform, string operation, string reason);
}
