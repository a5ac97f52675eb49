using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Manifold.Host.Tests.Gateway;

/// <summary>The embedded default: with no configuration at all, /sandbox answers offline.</summary>
public sealed class SandboxPlatformTests : IAsyncLifetime
{
    private ManifoldFactory _manifold = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _manifold = new ManifoldFactory(new Dictionary<string, string?>());
        _client = _manifold.CreateAuthorizedClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _manifold.DisposeAsync();
    }

    private static StringContent Chat(bool stream) => new(
        $$"""{"model":"sandbox-echo","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"ping"}]}""",
        Encoding.UTF8,
        "application/json");

    [Fact]
    public async Task Sandbox_answers_without_credentials()
    {
        var response = await _client.PostAsync("/sandbox/v1/chat/completions", Chat(stream: false));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ping", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.True(body["usage"]!["total_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Sandbox_streams()
    {
        var response = await _client.PostAsync("/sandbox/v1/chat/completions", Chat(stream: true));

        var events = await GatewayAssert.SseData(response);
        Assert.Equal("[DONE]", events[^1]);
        var text = string.Concat(events[..^1].Select(static e => JsonNode.Parse(e)!["choices"]!.AsArray())
            .Where(static c => c.Count > 0)
            .Select(static c => c[0]!["delta"]!["content"]?.GetValue<string>()));
        Assert.Contains("ping", text);
    }

    [Fact]
    public async Task Root_routes_sandbox_models_to_the_sandbox()
    {
        var response = await _client.PostAsync("/v1/chat/completions", Chat(stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
