using System.Net;
using Manifold.Contracts.Net;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Net;

/// <summary>
/// The guard on fetches of client-supplied URLs: every range Manifold refuses, the IPv6 forms that carry an IPv4
/// address, and a real fetch refused at the connection (a name that resolves inside, a redirect to an internal host).
/// </summary>
public sealed class GuardedHttpTests
{
    [Theory]
    [InlineData("127.0.0.1")]          // loopback
    [InlineData("127.255.0.7")]
    [InlineData("10.1.2.3")]           // private
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]    // link-local: the cloud metadata service
    [InlineData("100.64.0.1")]         // CGNAT
    [InlineData("100.127.255.254")]
    [InlineData("224.0.0.1")]          // multicast
    [InlineData("239.255.255.250")]
    [InlineData("0.0.0.0")]            // this network
    [InlineData("240.0.0.1")]          // reserved
    [InlineData("255.255.255.255")]    // broadcast
    [InlineData("192.0.2.10")]         // documentation
    [InlineData("198.18.0.1")]         // benchmarking
    [InlineData("::1")]                // IPv6 loopback
    [InlineData("::")]                 // unspecified
    [InlineData("fd00::1")]            // unique local
    [InlineData("fe80::1")]            // link-local
    [InlineData("ff02::1")]            // multicast
    [InlineData("2001:db8::1")]        // documentation
    [InlineData("::ffff:127.0.0.1")]   // IPv4-mapped loopback
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::10.0.0.1")]         // IPv4-compatible private
    [InlineData("64:ff9b::a00:1")]     // NAT64 of 10.0.0.1
    [InlineData("64:ff9b::7f00:1")]    // NAT64 of 127.0.0.1
    [InlineData("2002:7f00:1::1")]     // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::1")]  // 6to4 of 169.254.169.254
    [InlineData("2001:0:4136:e378::1")] // Teredo
    public void Internal_and_reserved_addresses_in_every_form_are_blocked(string address) =>
        Assert.True(BlockedAddresses.Contains(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]     // just below 172.16/12
    [InlineData("172.32.0.1")]         // just above
    [InlineData("100.63.255.255")]     // just below CGNAT
    [InlineData("100.128.0.1")]        // just above
    [InlineData("93.184.216.34")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]     // IPv4-mapped public
    [InlineData("64:ff9b::808:808")]   // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")]    // 6to4 of 8.8.8.8
    public void Public_addresses_pass(string address) =>
        Assert.False(BlockedAddresses.Contains(IPAddress.Parse(address)), address);

    [Fact]
    public async Task A_name_or_literal_that_reaches_inside_is_refused_before_connecting_and_allowed_when_the_operator_says_so()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/image.png", () => Results.Bytes([1, 2, 3], "image/png")));
        using var guarded = new HttpClient(GuardedHttp.CreateHandler(allowPrivateAddresses: false));
        using var open = new HttpClient(GuardedHttp.CreateHandler(allowPrivateAddresses: true));
        var byName = new UriBuilder(upstream.Root) { Host = "localhost", Path = "/image.png" }.Uri;

        var literal = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(new Uri(upstream.Root, "/image.png")));
        var named = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(byName));
        var allowed = await open.GetByteArrayAsync(new Uri(upstream.Root, "/image.png"));

        Assert.IsType<BlockedAddressException>(literal.InnerException);
        Assert.Contains("127.0.0.1", literal.InnerException!.Message, StringComparison.Ordinal);
        Assert.IsType<BlockedAddressException>(named.InnerException);
        Assert.Equal([1, 2, 3], allowed);
    }

    [Fact]
    public async Task A_redirect_to_an_internal_host_is_refused_at_its_own_connection()
    {
        // 127.0.0.1 stands for a public host here; 127.0.0.2 for the internal one it redirects to.
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/redirect", (HttpContext http) =>
            Results.Redirect($"http://127.0.0.2:{http.Request.Host.Port}/secret")));
        var connected = new List<IPAddress>();
        using var client = new HttpClient(GuardedHttp.CreateHandler(address =>
        {
            connected.Add(address);
            return address.Equals(IPAddress.Parse("127.0.0.2"));
        }));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(upstream.Root, "/redirect")));

        Assert.IsType<BlockedAddressException>(refused.InnerException);
        Assert.Equal([IPAddress.Loopback, IPAddress.Parse("127.0.0.2")], connected);
    }
}
