using System.Net;
using System.Net.Sockets;

namespace Manifold.Contracts.Net;

/// <summary>
/// The addresses a fetch of a client-supplied URL must never reach: loopback, private, link-local, CGNAT, multicast,
/// unspecified, broadcast and the IANA special-purpose blocks (documentation, benchmarking, protocol assignments), in
/// IPv4 and IPv6, and every IPv6 form that carries an IPv4 address (IPv4-mapped and -compatible, NAT64, 6to4), which
/// is judged by the address it carries. Teredo is refused whole: its IPv4 address is obfuscated.
/// </summary>
public static class BlockedAddresses
{
    private static readonly (uint Network, int Prefix)[] V4 =
    [
        (0x00000000, 8),    // 0.0.0.0/8 "this network"
        (0x0A000000, 8),    // 10.0.0.0/8 private
        (0x64400000, 10),   // 100.64.0.0/10 CGNAT
        (0x7F000000, 8),    // 127.0.0.0/8 loopback
        (0xA9FE0000, 16),   // 169.254.0.0/16 link-local (cloud metadata lives here)
        (0xAC100000, 12),   // 172.16.0.0/12 private
        (0xC0000000, 24),   // 192.0.0.0/24 IETF protocol assignments
        (0xC0000200, 24),   // 192.0.2.0/24 TEST-NET-1
        (0xC0586300, 24),   // 192.88.99.0/24 6to4 relay anycast
        (0xC0A80000, 16),   // 192.168.0.0/16 private
        (0xC6120000, 15),   // 198.18.0.0/15 benchmarking
        (0xC6336400, 24),   // 198.51.100.0/24 TEST-NET-2
        (0xCB007100, 24),   // 203.0.113.0/24 TEST-NET-3
        (0xE0000000, 4),    // 224.0.0.0/4 multicast
        (0xF0000000, 4),    // 240.0.0.0/4 reserved, and 255.255.255.255 broadcast
    ];

    private static readonly (UInt128 Network, int Prefix)[] V6 =
    [
        (Parse("::"), 127),          // :: unspecified and ::1 loopback
        (Parse("100::"), 64),        // discard-only
        (Parse("2001::"), 32),       // Teredo (its IPv4 address is obfuscated: refused whole)
        (Parse("2001:2::"), 48),     // benchmarking
        (Parse("2001:db8::"), 32),   // documentation
        (Parse("2001:10::"), 28),    // ORCHID
        (Parse("3fff::"), 20),       // documentation (2024)
        (Parse("5f00::"), 16),       // segment routing SIDs
        (Parse("fc00::"), 7),        // unique local
        (Parse("fe80::"), 10),       // link-local
        (Parse("fec0::"), 10),       // site-local (deprecated)
        (Parse("ff00::"), 8),        // multicast
    ];

    /// <summary>Whether <paramref name="address"/> (or the IPv4 address an IPv6 form carries) is one a guarded fetch refuses.</summary>
    public static bool Contains(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsBlockedV4(ToUInt32(address));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }
        if (EmbeddedV4(address) is { } carried)
        {
            return IsBlockedV4(carried);
        }
        var value = ToUInt128(address);
        foreach (var (network, prefix) in V6)
        {
            if (Matches(value, network, prefix))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The IPv4 address an IPv6 address stands for: IPv4-mapped (<c>::ffff:a.b.c.d</c>), IPv4-compatible (<c>::a.b.c.d</c>,
    /// deprecated), NAT64 (<c>64:ff9b::/96</c> and the local-use <c>64:ff9b:1::/48</c>) and 6to4 (<c>2002:AABB:CCDD::/16</c>).
    /// </summary>
    private static uint? EmbeddedV4(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var value = ToUInt128(address);
        var low32 = (uint)(value & 0xFFFFFFFF);
        if (address.IsIPv4MappedToIPv6 || Matches(value, Parse("64:ff9b::"), 96) || Matches(value, Parse("64:ff9b:1::"), 48))
        {
            return low32;
        }
        if (Matches(value, 0, 96) && low32 > 1)
        {
            return low32;
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return (uint)(bytes[2] << 24 | bytes[3] << 16 | bytes[4] << 8 | bytes[5]);
        }
        return null;
    }

    private static bool IsBlockedV4(uint value)
    {
        foreach (var (network, prefix) in V4)
        {
            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            if ((value & mask) == network)
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(UInt128 value, UInt128 network, int prefix)
    {
        var mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
        return (value & mask) == (network & mask);
    }

    private static uint ToUInt32(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    private static UInt128 ToUInt128(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)));
    }

    private static UInt128 Parse(string text) => ToUInt128(IPAddress.Parse(text));
}
