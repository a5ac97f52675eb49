using Manifold.Host.Gateway;
using Manifold.Host.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Manifold.Host.Tests.Plugins;

/// <summary>How <c>Manifold:Gateway:PluginsPath</c> and <c>BuiltInPlugins</c> become the folders the host loads.</summary>
public sealed class PluginFoldersTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "manifold-app");

    [Fact]
    public void By_default_only_the_built_in_folder_under_the_application_folder_is_loaded()
    {
        Assert.Equal([Path.Combine(s_base, "plugins")], Resolve(new Dictionary<string, string?>()));
    }

    [Fact]
    public void A_list_adds_folders_after_the_built_in_one_in_order()
    {
        var folders = Resolve(new Dictionary<string, string?>
        {
            ["PluginsPath:0"] = "/opt/acme",
            ["PluginsPath:1"] = "vendor",
            // The configuration key comparer sorts numerically: 10 comes last, not after 1.
            ["PluginsPath:10"] = "/opt/last",
        });

        Assert.Equal([Path.Combine(s_base, "plugins"), "/opt/acme", Path.Combine(s_base, "vendor"), "/opt/last"], folders);
    }

    [Fact]
    public void A_string_holds_one_folder_or_several_separated_by_semicolons_or_the_path_separator()
    {
        var folders = Resolve(new Dictionary<string, string?> { ["PluginsPath"] = $"/opt/a; /opt/b{Path.PathSeparator}/opt/c" });

        Assert.Equal([Path.Combine(s_base, "plugins"), "/opt/a", "/opt/b", "/opt/c"], folders);
    }

    [Fact]
    public void A_string_and_a_list_both_count_the_string_first()
    {
        var folders = Resolve(new Dictionary<string, string?> { ["PluginsPath"] = "/opt/a", ["PluginsPath:0"] = "/opt/b" });

        Assert.Equal([Path.Combine(s_base, "plugins"), "/opt/a", "/opt/b"], folders);
    }

    [Fact]
    public void BuiltInPlugins_false_removes_the_first_party_folder()
    {
        var folders = Resolve(new Dictionary<string, string?> { ["BuiltInPlugins"] = "false", ["PluginsPath:0"] = "/opt/acme" });

        Assert.Equal(["/opt/acme"], folders);
    }

    [Fact]
    public void A_folder_named_twice_is_loaded_once()
    {
        var folders = Resolve(new Dictionary<string, string?>
        {
            ["PluginsPath:0"] = "plugins/",
            ["PluginsPath:1"] = Path.Combine(s_base, "plugins"),
            ["PluginsPath:2"] = "/opt/acme",
            ["PluginsPath:3"] = "/opt/acme/",
        });

        Assert.Equal([Path.Combine(s_base, "plugins"), "/opt/acme"], folders);
    }

    // Binds exactly as the host does (AddManifoldGateway), from keys under Manifold:Gateway.
    private static IReadOnlyList<string> Resolve(Dictionary<string, string?> gatewayKeys)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(gatewayKeys.ToDictionary(p => GatewayOptions.SectionName + ":" + p.Key, p => p.Value))
            .Build();
        var services = new ServiceCollection().AddManifoldGateway(configuration).BuildServiceProvider();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value;
        return PluginFolders.Resolve(options, s_base);
    }
}
