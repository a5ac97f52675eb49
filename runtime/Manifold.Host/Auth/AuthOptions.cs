namespace Manifold.Host.Auth;

/// <summary>How the gateway treats the keys clients present, bound from <c>Manifold:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Manifold:Auth";

    /// <summary>
    /// Failed licence lookups one client address may cause per minute (a token bucket of this many, refilled evenly over
    /// the minute); past it, that address's requests with a key that is not already known good get a 429 with
    /// <c>Retry-After</c> and no lookup at all. 0 turns the limit off.
    /// </summary>
    public int FailedLookupsPerMinute { get; set; } = 60;

    /// <summary>
    /// Client addresses tracked at once (IPv6 by /64). When every slot holds an address that failed within the last minute,
    /// further addresses share one bucket, so memory stays bounded whatever the number of attackers.
    /// </summary>
    public int FailedLookupAddresses { get; set; } = 10_000;

    /// <summary>
    /// Addresses of reverse proxies whose <c>X-Forwarded-For</c> is believed (a list, or one string separated by <c>,</c> or
    /// <c>;</c>). Empty (the default): the connection's own address is the client's, and the header is ignored, since anyone
    /// can send it. Behind a proxy that is not listed, every client shares the proxy's address.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}
