using System.Net;
using Manifold.Contracts;
using Manifold.Contracts.Net;

namespace Manifold.Host.Webhooks;

/// <summary>
/// A client's webhook URL checked when it is given: absolute http(s), and (unless
/// <c>Manifold__Network__AllowPrivateAddresses</c>) a host that resolves to no internal or reserved address, so a bad
/// hook is the caller's 400 now rather than a delivery that fails later. Delivery goes through the same guard again
/// (<see cref="GuardedHttp"/>), which is what actually protects: DNS can change in between.
/// </summary>
internal static class WebhookUrls
{
    public static async Task CheckAsync(string url, string field, bool allowPrivateAddresses, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || url.Length > 2048)
        {
            throw Invalid(field, $"'{field}' must be an absolute http or https URL (at most 2048 characters).");
        }
        if (allowPrivateAddresses)
        {
            return;
        }
        IPAddress[] addresses;
        var host = parsed.Host.Trim('[', ']');
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException)
        {
            throw Invalid(field, $"'{field}': the host '{parsed.Host}' does not resolve.");
        }
        if (addresses.Length == 0)
        {
            throw Invalid(field, $"'{field}': the host '{parsed.Host}' has no address.");
        }
        if (addresses.FirstOrDefault(BlockedAddresses.Contains) is { } blocked)
        {
            throw Invalid(field, $"'{field}': '{parsed.Host}' resolves to {blocked}, an internal or reserved address that Manifold does not call.");
        }
    }

    private static ManifoldException Invalid(string field, string message) => new(400, "invalid_request_error", message, field, "invalid_value");
}
