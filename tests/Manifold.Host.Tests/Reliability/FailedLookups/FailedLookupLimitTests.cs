using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Reliability.Process;
using Manifold.Tests.Processes;

namespace Manifold.Host.Tests.Reliability.FailedLookups;

/// <summary>
/// The per-address limit on failed licence lookups, against a real host on loopback, with clients bound to different
/// source addresses (127.0.0.2 for the flood, 127.0.0.1 for everyone else; Linux routes all of 127/8 to loopback):
/// past <c>Manifold__Auth__FailedLookupsPerMinute</c> the flooding address gets a 429 with Retry-After in its protocol,
/// while another address is served, and a key already known good is never refused. X-Forwarded-For counts only from
/// a trusted proxy.
/// </summary>
public sealed class FailedLookupLimitTests : IAsyncLifetime, IDisposable
{
    private const int PerMinute = 5;
    private static readonly IPAddress Flood = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.3");

    private readonly ProcessScenario _scenario = new();
    private HostProcess _host = null!;

    public async Task InitializeAsync() => _host = await HostProcess.StartAsync(_scenario.Environment(new Dictionary<string, string>
    {
        ["Manifold__Auth__FailedLookupsPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Manifold__Auth__TrustedProxies"] = Proxy.ToString(),
    }));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public async Task A_flooding_address_is_refused_with_429_before_any_lookup_while_other_addresses_are_served()
    {
        using var flood = ClientFrom(Flood);
        using var other = ClientFrom(IPAddress.Loopback);

        // The licensed client's key is known good (cached) before the flood.
        Assert.Equal(HttpStatusCode.OK, (await GetModelsAsync(other, ProcessScenario.BootstrapKey)).StatusCode);

        for (var i = 0; i < PerMinute; i++)
        {
            var wrong = await GetModelsAsync(flood, RandomKey());
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("invalid_api_key", (await ErrorAsync(wrong))["code"]!.GetValue<string>());
        }

        // Past the budget: a 429 in OpenAI's shape, with when to come back (the budget refills one lookup every 12 s).
        var refused = await GetModelsAsync(flood, RandomKey());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60.0 / PerMinute);
        var error = await ErrorAsync(refused);
        Assert.Equal("too_many_failed_lookups", error["code"]!.GetValue<string>());
        Assert.DoesNotContain("mf-", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // In the caller's protocol: an Anthropic client gets Anthropic's error object.
        using var messages = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent("""{"model":"sandbox-echo","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        messages.Headers.Add("x-api-key", RandomKey());
        messages.Headers.Add("anthropic-version", "2023-06-01");
        var anthropic = await flood.SendAsync(messages);
        Assert.Equal(HttpStatusCode.TooManyRequests, anthropic.StatusCode);
        var anthropicBody = JsonNode.Parse(await anthropic.Content.ReadAsStringAsync())!;
        Assert.Equal("error", anthropicBody["type"]!.GetValue<string>());
        Assert.Equal("rate_limit_error", anthropicBody["error"]!["type"]!.GetValue<string>());

        // Another address is served as before: its good key works, and its wrong key is a plain 401, not a 429.
        Assert.Equal(HttpStatusCode.OK, (await GetModelsAsync(other, ProcessScenario.BootstrapKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetModelsAsync(other, RandomKey())).StatusCode);
        // A key known good is answered from the cache even from the flooding address: the limit only gates lookups.
        Assert.Equal(HttpStatusCode.OK, (await GetModelsAsync(flood, ProcessScenario.BootstrapKey)).StatusCode);
    }

    [Fact]
    public async Task Forwarded_addresses_count_only_from_a_trusted_proxy()
    {
        using var proxy = ClientFrom(Proxy);
        for (var i = 0; i < PerMinute; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetModelsAsync(proxy, RandomKey(), forwardedFor: "203.0.113.7")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetModelsAsync(proxy, RandomKey(), forwardedFor: "203.0.113.7")).StatusCode);
        // Another client behind the same proxy has its own budget.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetModelsAsync(proxy, RandomKey(), forwardedFor: "203.0.113.8")).StatusCode);

        // From an address that is not a trusted proxy the header is anyone's to send, and is ignored.
        using var direct = ClientFrom(IPAddress.Parse("127.0.0.4"));
        for (var i = 0; i < PerMinute; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetModelsAsync(direct, RandomKey(), forwardedFor: $"198.51.100.{i}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetModelsAsync(direct, RandomKey(), forwardedFor: "198.51.100.200")).StatusCode);
    }

    private HttpClient ClientFrom(IPAddress source)
    {
        var handler = new SocketsHttpHandler
        {
            // The client socket bound to the source address before it connects: the host sees it as the peer.
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
    }

    private static async Task<HttpResponseMessage> GetModelsAsync(HttpClient client, string key, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<JsonNode> ErrorAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

    private static string RandomKey() => "mf-" + Guid.NewGuid().ToString("N");
}
