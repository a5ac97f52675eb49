using System.Net;
using System.Net.Sockets;

namespace Manifold.Contracts.Net;

/// <summary>
/// An <see cref="HttpMessageHandler"/> for fetching URLs a client supplied (reference images, webhooks): before each
/// connection it resolves the host once, refuses it if any address is one of <see cref="BlockedAddresses"/>, and connects
/// to the address it checked, so neither a DNS answer that changes between check and use (rebinding) nor a redirect to an
/// internal host gets through: every hop is a new connection, checked the same way. Only http and https; a bounded
/// number of redirects.
/// </summary>
public static class GuardedHttp
{
    /// <summary>A handler that refuses blocked addresses, unless <paramref name="allowPrivateAddresses"/> (development and tests).</summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivateAddresses, TimeSpan? connectTimeout = null) =>
        CreateHandler(allowPrivateAddresses ? static _ => false : BlockedAddresses.Contains, connectTimeout);

    /// <summary>A handler that refuses the addresses <paramref name="isBlocked"/> names (a stricter or looser policy than the default).</summary>
    public static SocketsHttpHandler CreateHandler(Func<IPAddress, bool> isBlocked, TimeSpan? connectTimeout = null) => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, isBlocked, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, Func<IPAddress, bool> isBlocked, CancellationToken cancellationToken)
    {
        var scheme = context.InitialRequestMessage.RequestUri?.Scheme;
        if (scheme is not ("http" or "https"))
        {
            throw new BlockedAddressException($"Only http and https URLs are fetched, not '{scheme}'.");
        }
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new BlockedAddressException($"'{host}' has no address.");
        }
        // Every address is judged, not only the one used: a name that also points inside is refused whole.
        if (addresses.FirstOrDefault(isBlocked) is { } blocked)
        {
            throw new BlockedAddressException($"'{host}' resolves to {blocked}, an internal or reserved address that Manifold does not fetch from.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A guarded fetch was refused: the URL's host is internal or reserved, or its scheme is not http(s).</summary>
public sealed class BlockedAddressException(string message) : IOException(message);
