using Microsoft.Extensions.Logging;

namespace Manifold.Contracts;

/// <summary>Host services handed to a platform when it is created.</summary>
public sealed class PlatformServices(HttpClient http, ILoggerFactory loggers, TimeProvider time)
{
    /// <summary>
    /// The host's pooled client for upstream calls. It has no base address and no default headers;
    /// platforms set both per request. Do not dispose it.
    /// </summary>
    public HttpClient Http { get; } = http;

    public ILoggerFactory Loggers { get; } = loggers;

    public TimeProvider Time { get; } = time;
}
