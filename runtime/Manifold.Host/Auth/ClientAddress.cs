using System.Net;
using System.Net.Sockets;

namespace Manifold.Host.Auth;

/// <summary>
/// The address a request's limits are counted against: the connection's peer, or, when that peer is a trusted proxy
/// (<see cref="AuthOptions.TrustedProxies"/>), the nearest untrusted address in <c>X-Forwarded-For</c>. IPv4-mapped IPv6 is
/// read as IPv4, and IPv6 is cut to its /64 (one host commonly holds a whole /64, so single addresses cost it nothing).
/// </summary>
public sealed class ClientAddress
{
    private readonly HashSet<IPAddress> _trusted;

    public ClientAddress(IEnumerable<string> trustedProxies)
    {
        _trusted = [];
        foreach (var entry in trustedProxies.SelectMany(static p => p.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            _trusted.Add(IPAddress.TryParse(entry, out var address)
                ? Normalize(address)
                : throw new InvalidOperationException($"Manifold__Auth__TrustedProxies: '{entry}' is not an IP address."));
        }
    }

    public IPAddress? Of(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is not { } peer)
        {
            return null;
        }
        var address = Normalize(peer);
        if (_trusted.Count == 0 || !_trusted.Contains(address))
        {
            return Group(address);
        }
        // Right to left: each trusted proxy appended the address it saw; the first one no trusted proxy vouches for is the client.
        var forwarded = http.Request.Headers["X-Forwarded-For"];
        for (var i = forwarded.Count - 1; i >= 0; i--)
        {
            var hops = forwarded[i]!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var j = hops.Length - 1; j >= 0; j--)
            {
                if (!IPAddress.TryParse(hops[j], out var hop))
                {
                    // Garbage in the chain: the proxy's own address is all that can be trusted.
                    return Group(address);
                }
                hop = Normalize(hop);
                if (!_trusted.Contains(hop))
                {
                    return Group(hop);
                }
                address = hop;
            }
        }
        return Group(address);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Group(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
