using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Manifold.Host.Tests.Gateway;

/// <summary>
/// A plugin built outside the host (tests/Plugins/Manifold.TestPlugin), deployed into a plugins folder,
/// configured by kind, and serving traffic through the generated adapter interface.
/// </summary>
public sealed class ThirdPartyPluginTests
{
    [Fact]
    public async Task A_plugin_dropped_into_the_plugins_folder_serves_requests()
    {
        await using var manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Gateway:PluginsPath"] = Path.Combine(AppContext.BaseDirectory, "test-plugins"),
            // The first-party plugins still load from the built-in folder; the sandbox platform of appsettings.json is switched
            // off, so that echo is the only platform.
            ["Manifold:Platforms:sandbox:Enabled"] = "false",
            ["Manifold:Platforms:echo:Plugin"] = "test-echo",
        });
        using var client = manifold.CreateAuthorizedClient();
        var body = new StringContent("""{"model":"echo-1","messages":[{"role":"user","content":"hello plugin"}]}""", Encoding.UTF8, "application/json");

        var atRoot = await client.PostAsync("/v1/chat/completions", body);
        var streamed = await client.PostAsync("/echo/v1/chat/completions",
            new StringContent("""{"model":"echo-1","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, atRoot.StatusCode);
        var answer = JsonNode.Parse(await atRoot.Content.ReadAsStringAsync())!;
        Assert.Equal("echo echoes: hello plugin", answer["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var events = await GatewayAssert.SseData(streamed);
        Assert.Equal(["[DONE]"], events[^1..]);
        Assert.Contains("echo echoes: hi", events[0]);
    }

    [Fact]
    public async Task An_added_plugins_folder_keeps_the_first_party_plugins_loaded()
    {
        await using var manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            // As the environment variable Manifold__Gateway__PluginsPath__0 would: one more folder, the built-in one stays.
            ["Manifold:Gateway:PluginsPath:0"] = Path.Combine(AppContext.BaseDirectory, "test-plugins"),
            ["Manifold:Platforms:echo:Plugin"] = "test-echo",
        });
        using var client = manifold.CreateAuthorizedClient();

        var echoed = await client.PostAsync("/echo/v1/chat/completions",
            new StringContent("""{"model":"echo-1","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var sandboxed = await client.PostAsync("/sandbox/v1/chat/completions",
            new StringContent("""{"model":"sandbox-chat","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sandboxed.StatusCode);
    }

    [Fact]
    public async Task BuiltInPlugins_false_removes_the_first_party_plugins()
    {
        await using var manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Gateway:BuiltInPlugins"] = "false",
            ["Manifold:Gateway:PluginsPath"] = Path.Combine(AppContext.BaseDirectory, "test-plugins"),
        });

        // appsettings.json configures the sandbox platform, whose plugin is now gone.
        var error = Assert.ThrowsAny<Exception>(() => manifold.CreateClient());

        Assert.Contains("'sandbox'", error.ToString());
        Assert.Contains("test-echo", error.ToString());
    }

    [Fact]
    public async Task A_platform_naming_a_plugin_that_is_not_loaded_stops_startup_with_a_clear_message()
    {
        await using var manifold = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Platforms:ghost:Plugin"] = "no-such-plugin",
        });

        var error = Assert.ThrowsAny<Exception>(() => manifold.CreateClient());

        Assert.Contains("no-such-plugin", error.ToString());
        Assert.Contains("Loaded plugin kinds", error.ToString());
    }
}
