using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;

namespace Manifold.Host.Tests.Gateway;

/// <summary>Manifold__Gateway__Timeouts__*: an upstream that goes silent never holds a request for ever.</summary>
public sealed class UpstreamTimeoutTests
{
    // Short, but long enough that a loaded CI machine's first (JIT-compiling) answer from a healthy fake is never mistaken
    // for silence.
    private static readonly Dictionary<string, string?> ShortTimeouts = new()
    {
        ["Manifold:Gateway:Timeouts:FirstByte"] = "00:00:03",
        ["Manifold:Gateway:Timeouts:Idle"] = "00:00:02",
    };

    private static StringContent Chat(string model, bool stream) =>
        new($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_account_that_never_answers_fails_over_to_the_next(bool stream)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, ShortTimeouts, "sk-silent", "sk-good");
        using var client = manifold.CreateAuthorizedClient();

        // Two calls: whichever account the rotation starts with, one call meets the silent one first.
        for (var i = 0; i < 2; i++)
        {
            var response = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini", stream));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Contains(upstream.Requests, static r => r.Authorization == "Bearer sk-silent");
    }

    [Fact]
    public async Task When_no_account_answers_the_client_gets_a_504_in_its_protocol()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, ShortTimeouts, "sk-silent");
        using var client = manifold.CreateAuthorizedClient();
        var clock = Stopwatch.StartNew();

        var response = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini", stream: false));

        await GatewayAssert.OpenAIError(response, HttpStatusCode.GatewayTimeout);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_stream_that_goes_silent_ends_with_an_error_event_not_a_hang()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, ShortTimeouts);
        using var client = manifold.CreateAuthorizedClient();

        var response = await client.PostAsync("/v1/chat/completions", Chat("gpt-stalled-stream", stream: true));
        var text = await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var last = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("data: ", last, StringComparison.Ordinal);
        var error = JsonNode.Parse(last["data: ".Length..])!["error"]!;
        Assert.Contains("Timeouts__Idle", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
    }
}
