using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Templates.Tests.Infrastructure;
using Manifold.Tests.Processes;

namespace Manifold.Templates.Tests;

/// <summary>
/// What `dotnet new manifold-plugin` gives an author works as README.md's "Writing a plugin" says: its own tests pass
/// against the packages in the feed, and `dotnet publish` gives the folder an operator adds to the gateway's plugins path.
/// </summary>
public sealed class PluginTemplateTests(GeneratedPlugin plugin) : IClassFixture<GeneratedPlugin>
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public void The_solution_has_the_authors_name_and_kind()
    {
        string pluginSource = File.ReadAllText(Path.Combine(plugin.Solution, GeneratedPlugin.Name, "ChatPlatformPlugin.cs"));

        Assert.True(File.Exists(Path.Combine(plugin.Solution, GeneratedPlugin.Name, GeneratedPlugin.Name + ".csproj")));
        Assert.True(File.Exists(Path.Combine(plugin.Solution, GeneratedPlugin.Name + ".Tests", GeneratedPlugin.Name + ".Tests.csproj")));
        Assert.Contains($"public string Kind => \"{GeneratedPlugin.Kind}\";", pluginSource);
        Assert.Contains($"namespace {GeneratedPlugin.Name};", pluginSource);
        // The template's version of the contracts is the one this repository packs.
        Assert.Contains($"Include=\"Manifold.Contracts\" Version=\"{RepositoryBuild.PackageVersion}\"",
            File.ReadAllText(Path.Combine(plugin.Solution, GeneratedPlugin.Name, GeneratedPlugin.Name + ".csproj")));
    }

    [Fact]
    public async Task The_generated_tests_pass_against_the_packages_in_the_feed()
    {
        var test = await DotNet.RunAsync(plugin.Solution, plugin.Environment, s_buildTimeout,
            "test", Path.Combine(GeneratedPlugin.Name + ".Tests", GeneratedPlugin.Name + ".Tests.csproj"));

        Assert.True(test.ExitCode == 0, test.Output);
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+3,", test.Output);
    }

    [Fact]
    public async Task The_published_folder_is_the_plugin_and_the_gateway_serves_chat_through_it()
    {
        string plugins = Path.Combine(plugin.Root, "deployed-plugins");
        string published = Path.Combine(plugins, GeneratedPlugin.Name);
        string project = Path.Combine(plugin.Solution, GeneratedPlugin.Name, GeneratedPlugin.Name + ".csproj");
        // The author's own dependency, which has to travel with the plugin.
        string withDependency = File.ReadAllText(project).Replace(
            "<PackageReference Include=\"Manifold.Contracts\"",
            "<PackageReference Include=\"YamlDotNet\" Version=\"16.3.0\" />\n    <PackageReference Include=\"Manifold.Contracts\"",
            StringComparison.Ordinal);
        await File.WriteAllTextAsync(project, withDependency);

        var publish = await DotNet.RunAsync(plugin.Solution, plugin.Environment, s_buildTimeout, "publish", project, "-c", "Release", "-o", published);

        Assert.True(publish.ExitCode == 0, publish.Output);
        // The plugin, its private dependency, and what the loader reads; no contracts (the host's copy is the one that counts).
        Assert.Equal(
            ["Acme.Plugin.deps.json", "Acme.Plugin.dll", "Acme.Plugin.pdb", "Acme.Plugin.runtimeconfig.json", "YamlDotNet.dll"],
            Directory.GetFiles(published).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // The generator in the package emitted nothing into the plugin: the contracts' types exist once, in the host's copy.
        Assert.DoesNotContain(Namespaces(Path.Combine(published, "Acme.Plugin.dll")), static ns => ns.StartsWith("Manifold", StringComparison.Ordinal));

        await using var upstream = await FakeChatUpstream.StartAsync();
        const string Licence = "mf-template-licence";
        await using var host = await HostProcess.StartAsync(RepositoryBuild.HostAssembly, new Dictionary<string, string>
        {
            // An operator adds the folder; the first-party plugins stay (the sandbox platform of appsettings.json still loads).
            ["Manifold__Gateway__PluginsPath__0"] = plugins,
            ["Manifold__BootstrapKey"] = Licence,
            ["Manifold__Storage__ConnectionString"] = "Data Source=" + Path.Combine(plugin.Root, "gateway.db"),
            ["Manifold__Media__Path"] = Path.Combine(plugin.Root, "media"),
            ["Manifold__Platforms__acme__Plugin"] = GeneratedPlugin.Kind,
            ["Manifold__Platforms__acme__BaseUrl"] = upstream.BaseUrl.ToString(),
            ["Manifold__Platforms__acme__Accounts__0__Key"] = FakeChatUpstream.ApiKey,
        }, TimeSpan.FromMinutes(1));
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Licence);

        var response = await client.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"acme-chat","messages":[{"role":"user","content":"Hello"}]}""", Encoding.UTF8, "application/json"));

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body + Environment.NewLine + host.Log);
        Assert.Equal(FakeChatUpstream.Answer, (string?)JsonNode.Parse(body)!["choices"]![0]!["message"]!["content"]);
        Assert.Contains($"Loading plugins from '{plugins}'.", host.Log);
        Assert.Matches($@"Loaded plugin '{Regex(Path.Combine(published, "Acme.Plugin.dll"))}' version 0\.1\.0\S* providing kinds: acme\.", host.Log);
        Assert.Matches(@"Loaded plugin '\S+Manifold\.Plugins\.Sandbox\.dll' version \S+ providing kinds: sandbox\.", host.Log);
    }

    private static HashSet<string> Namespaces(string assembly)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return [.. metadata.TypeDefinitions.Select(t => metadata.GetString(metadata.GetTypeDefinition(t).Namespace))];
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
