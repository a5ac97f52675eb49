using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Host.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace Manifold.Host.Tests.Plugins;

/// <summary>
/// A plugin that ships its own System.Text.Json (11.0, newer than the framework's) still exchanges contract DTOs and
/// JsonElements with the host: the framework's copy is the one it runs with (see SharedAssemblies).
/// </summary>
public sealed class OwnFrameworkCopyTests
{
    [Fact]
    public void The_plugin_really_ships_a_newer_system_text_json_and_names_it_in_its_deps()
    {
        AssemblyName shipped = AssemblyName.GetAssemblyName(Path.Combine(AbiPlugins.OwnJsonFolder, "System.Text.Json.dll"));

        Assert.True(shipped.Version > typeof(JsonElement).Assembly.GetName().Version, $"{shipped.Version} must be newer than the framework's");
        Assert.Contains("\"System.Text.Json/", File.ReadAllText(Path.Combine(AbiPlugins.OwnJsonFolder, "Manifold.TestPlugin.OwnJson.deps.json")));
    }

    [Fact]
    public async Task Host_created_dtos_and_json_elements_flow_through_the_plugin_and_back()
    {
        LoadedPlugin loaded = PluginLoader.Load(AbiPlugins.OwnJsonAssembly);
        using var http = new HttpClient();
        IPlatform platform = Assert.Single(loaded.Plugins).CreatePlatform(
            new PlatformSettings { Name = "own-json", Plugin = "test-own-json" }, new PlatformServices(http, NullLoggerFactory.Instance, TimeProvider.System));
        // The host parses the request, as a route handler would: the unmodelled "probe" lands in AdditionalProperties.
        var request = JsonSerializer.Deserialize<CreateChatCompletionRequest>(
            """{"model":"own-json-1","messages":[{"role":"user","content":"hi"}],"probe":{"say":"hello from the host"}}""", ManifoldJson.Options)!;

        CreateChatCompletionResponse response = await ((IChatCompletionsAdapter)platform).CreateChatCompletionAsync(request, Context(), CancellationToken.None);

        Assert.Equal("hello from the host", Assert.Single(response.Choices).Message.Content);
        // The plugin's own JsonElement, written by the host's serializer as the route handler writes an answer.
        JsonNode written = JsonNode.Parse(JsonSerializer.Serialize(response, ManifoldJson.Options))!;
        Assert.Equal("Object", written["plugin_json"]!["probe_kind"]!.GetValue<string>());
        Assert.True(written["plugin_json"]!["request_bytes"]!.GetValue<int>() > 0);
        Assert.DoesNotContain(AssemblyLoadContext.GetLoadContext(loaded.Assembly)!.Assemblies, a => a.GetName().Name == "System.Text.Json");
    }

    private static AdapterContext Context() => new("own-json", null, "req-own-json");
}
