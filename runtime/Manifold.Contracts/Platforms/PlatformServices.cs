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

    /// <summary>
    /// The client for URLs a <b>client</b> supplied (a reference image's <c>image_url</c>): it refuses internal and reserved
    /// addresses at every connection, redirects included (<see cref="Net.GuardedHttp"/>), unless the operator set
    /// <c>Manifold__Network__AllowPrivateAddresses=true</c>. Never fetch a client's URL with <see cref="Http"/>. Do not dispose it.
    /// </summary>
    public HttpClient ClientUrls { get; init; } = DefaultClientUrls.Value;

    private static readonly Lazy<HttpClient> DefaultClientUrls = new(static () => new HttpClient(Net.GuardedHttp.CreateHandler(allowPrivateAddresses: false))
    {
        Timeout = TimeSpan.FromSeconds(30),
    });
}
