using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Manifold.Contracts;
using Manifold.Host.Plugins;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Tests.Plugins;

/// <summary>The host refuses a plugin built against another major version of Manifold.Contracts, by name, and loads the rest.</summary>
public sealed class ContractsCompatibilityTests : IDisposable
{
    private readonly RecordingLogger _logger = new();
    private readonly ScratchPluginsDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static Version HostContracts => typeof(IPlatformPlugin).Assembly.GetName().Version!;

    [Fact]
    public void The_other_major_plugin_really_references_contracts_99()
    {
        // Read from the file's metadata: loading it here would put a plugin into the test's own load context.
        using var pe = new PEReader(File.OpenRead(AbiPlugins.OtherMajorAssembly));
        MetadataReader metadata = pe.GetMetadataReader();
        AssemblyReference reference = metadata.AssemblyReferences.Select(metadata.GetAssemblyReference).Single(r => metadata.GetString(r.Name) == "Manifold.Contracts");

        Assert.Equal(new Version(99, 0, 0, 0), reference.Version);
        Assert.NotEqual(99, HostContracts.Major);
        Assert.False(File.Exists(Path.Combine(AbiPlugins.OtherMajorFolder, "Manifold.Contracts.dll")), "a plugin ships no contracts of its own");
    }

    [Fact]
    public void LoadFromDirectory_SkipsAPluginOfAnotherContractsMajorNamingBothVersions_AndLoadsTheOthers()
    {
        _scratch.AddTestPluginFolder();
        string otherMajor = _scratch.AddPluginFolder(AbiPlugins.OtherMajorFolder);

        LoadedPlugin loaded = Assert.Single(PluginLoader.LoadFromDirectory(_scratch.Root, _logger));

        Assert.Equal(TestPlugin.Kind, Assert.Single(loaded.Plugins).Kind);
        RecordingLogger.Entry warning = Assert.Single(_logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(nameof(PluginLoaderLog.IncompatibleContracts), warning.EventName);
        Assert.Contains(otherMajor, warning.Message);
        Assert.Contains("built against Manifold.Contracts 99.0.0.0", warning.Message);
        Assert.Contains($"this host provides Manifold.Contracts {HostContracts}", warning.Message);
        Assert.Contains($"Rebuild it against Manifold.Contracts {HostContracts.Major}.x", warning.Message);
        Assert.DoesNotContain(_logger.Entries, e => e.Message.Contains("test-other-major"));
    }

    [Fact]
    public void Load_RefusesAPluginOfAnotherContractsMajorBeforeCreatingIt()
    {
        var ex = Assert.Throws<IncompatibleContractsException>(() => PluginLoader.Load(AbiPlugins.OtherMajorAssembly));

        Assert.Equal((new Version(99, 0, 0, 0), HostContracts), (ex.PluginVersion, ex.HostVersion));
        Assert.Contains(AbiPlugins.OtherMajorAssembly, ex.Message);
    }

    [Fact]
    public void A_plugin_of_the_hosts_major_is_compatible()
    {
        LoadedPlugin loaded = PluginLoader.Load(TestPlugin.MainAssemblyPath);

        Assert.Equal(HostContracts.Major, ContractsCompatibility.ReferencedVersion(loaded.Assembly)!.Major);
    }
}
