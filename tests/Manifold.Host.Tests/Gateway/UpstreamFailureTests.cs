using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;

namespace Manifold.Host.Tests.Gateway;

/// <summary>What clients see when upstreams fail: failover to another account, or a clear 5xx.</summary>
public sealed class UpstreamFailureTests
{
    private static StringContent Chat(string model, bool stream = false) =>
        new($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_account_is_retried_on_the_next_one(bool stream)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, "sk-broken", "sk-good");
        using var client = manifold.CreateAuthorizedClient();

        // Two calls: whichever account the rotation starts with, one call meets the broken one first.
        for (var i = 0; i < 2; i++)
        {
            var response = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini", stream));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var auths = upstream.Requests.Select(static r => r.Authorization).ToList();
        Assert.Contains("Bearer sk-broken", auths);
        Assert.Equal(2, auths.Count(static a => a == "Bearer sk-good"));
    }

    [Fact]
    public async Task When_every_account_fails_the_last_upstream_error_is_returned()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, "sk-broken", "sk-broken");
        using var client = manifold.CreateAuthorizedClient();

        var response = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini"));

        await GatewayAssert.OpenAIError(response, HttpStatusCode.InternalServerError);
        Assert.Equal(2, upstream.Requests.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unreachable_upstream_gets_a_502_that_says_so(bool stream)
    {
        // A port that was free a moment ago: nothing listens there.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream($"http://127.0.0.1:{port}/v1");
        using var client = manifold.CreateAuthorizedClient();

        var response = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini", stream));

        var error = await GatewayAssert.OpenAIError(response, HttpStatusCode.BadGateway);
        Assert.Contains("unreachable", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Upstream_keys_never_appear_in_responses()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, "sk-broken");
        using var client = manifold.CreateAuthorizedClient();

        var response = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini"));

        Assert.DoesNotContain("sk-broken", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }
}
