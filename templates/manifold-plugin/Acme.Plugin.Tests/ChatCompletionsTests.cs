using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Manifold.Host.Testing;

namespace Acme.Plugin.Tests;

/// <summary>
/// Acme.Plugin loaded by the real gateway from its build output, as a platform named <c>acme</c>, answering chat
/// completions from <see cref="FakeUpstream"/>: the path every client request takes in production.
/// </summary>
public sealed class ChatCompletionsTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private ManifoldTestHost _manifold = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        // The same as an operator's Manifold__Platforms__acme__Plugin=acme, __BaseUrl and __Accounts__0__Key.
        _manifold = await ManifoldTestHost.StartAsync(options => options.AddPlatform("acme", "acme", _upstream.BaseUrl, FakeUpstream.ApiKey));
        _client = _manifold.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _manifold.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task The_gateway_loads_the_plugin_and_relays_the_upstreams_answer()
    {
        // At the root the gateway picks the platform by model: acme-* is the plugin's DefaultModels.
        var response = await _client.PostAsJsonAsync("/v1/chat/completions", Request(stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal("Hello from the upstream.", (string?)answer["choices"]![0]!["message"]!["content"]);
        Assert.Equal(13, (int?)answer["usage"]!["total_tokens"]);
        Assert.Equal("What is Manifold?", (string?)Assert.Single(_upstream.Requests)["messages"]![0]!["content"]);
        Assert.Contains(_manifold.Log, line => line.Contains("Acme.Plugin.dll") && line.Contains("providing kinds: acme"));
    }

    [Fact]
    public async Task A_stream_is_relayed_event_by_event_and_ends_with_done()
    {
        // Under /{platform}/ the platform is named in the path.
        var response = await _client.PostAsJsonAsync("/acme/v1/chat/completions", Request(stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var data = (await response.Content.ReadAsStringAsync())
            .Split('\n')
            .Where(line => line.StartsWith("data: ", StringComparison.Ordinal))
            .Select(line => line["data: ".Length..])
            .ToList();
        Assert.Equal("[DONE]", data[^1]);
        var text = string.Concat(data[..^1].Select(json => (string?)JsonNode.Parse(json)!["choices"]![0]!["delta"]!["content"]));
        Assert.Equal("Hello from the upstream.", text);
    }

    [Fact]
    public async Task An_upstream_error_reaches_the_client_with_its_status_and_message()
    {
        var request = Request(stream: false);
        request["model"] = "acme-missing";

        var response = await _client.PostAsJsonAsync("/v1/chat/completions", request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonNode>())!["error"]!;
        Assert.Equal("The model `acme-missing` does not exist or you do not have access to it.", (string?)error["message"]);
        Assert.Equal("model_not_found", (string?)error["code"]);
    }

    private static JsonObject Request(bool stream) => new()
    {
        ["model"] = FakeUpstream.Model,
        ["stream"] = stream,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "What is Manifold?" }),
    };
}
