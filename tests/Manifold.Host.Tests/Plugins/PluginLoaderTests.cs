using System.Reflection;
using System.Runtime.Loader;
using Manifold.Contracts;
using Manifold.Host.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Manifold.Host.Tests.Plugins;

public sealed class PluginLoaderTests : IDisposable
{
    private readonly RecordingLogger _logger = new();
    private readonly ScratchPluginsDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void LoadFromDirectory_LoadsPluginFolderFromDisk()
    {
        LoadedPlugin loaded = Assert.Single(PluginLoader.LoadFromDirectory(TestPlugin.PluginsDirectory, _logger));

        Assert.Equal(TestPlugin.MainAssemblyPath, loaded.AssemblyPath);
        Assert.Equal(TestPlugin.Name, loaded.Assembly.GetName().Name);
        Assert.Equal(TestPlugin.Kind, Assert.Single(loaded.Plugins).Kind);
        Assert.DoesNotContain(_logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(_logger.Entries, e => e.EventName == nameof(PluginLoaderLog.Loaded) && e.Message.Contains(TestPlugin.Kind));
    }

    [Fact]
    public void Load_CollectsTheOperationsOfThePluginsOwnSpecs()
    {
        string rerank = Path.Combine(AppContext.BaseDirectory, "rerank-plugins", "Manifold.TestPlugin.Rerank", "Manifold.TestPlugin.Rerank.dll");

        PluginOperation operation = Assert.Single(PluginLoader.Load(rerank).Operations);

        Assert.Equal(("rerank", "POST", "/v1/rerank", "openai"), (operation.OperationId, operation.Method, operation.Pattern, operation.Protocol));
        Assert.Equal("IRerankAdapter", operation.AdapterType.Name);
        // A plugin without specs of its own brings none.
        Assert.Empty(PluginLoader.Load(TestPlugin.MainAssemblyPath).Operations);
    }

    [Fact]
    public void Load_PluginSeesTheHostsContractTypes()
    {
        LoadedPlugin loaded = PluginLoader.Load(TestPlugin.MainAssemblyPath);

        Type pluginType = Assert.Single(loaded.Plugins).GetType();
        Assert.True(typeof(IPlatformPlugin).IsAssignableFrom(pluginType));
        Assert.Same(typeof(IPlatformPlugin), pluginType.GetInterface(nameof(IPlatformPlugin)));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(IPlatformPlugin).Assembly));
        Assert.False(File.Exists(Path.Combine(TestPlugin.Folder, "Manifold.Contracts.dll")), "the plugin must not ship its own contracts");
    }

    [Fact]
    public void Load_PutsThePluginInItsOwnLoadContext()
    {
        LoadedPlugin loaded = PluginLoader.Load(TestPlugin.MainAssemblyPath);

        AssemblyLoadContext? context = AssemblyLoadContext.GetLoadContext(loaded.Assembly);
        Assert.IsType<PluginLoadContext>(context);
        Assert.NotSame(AssemblyLoadContext.Default, context);
        Assert.False(context.IsCollectible);
    }

    [Fact]
    public void Load_ResolvesPrivateDependencyFromThePluginFolder()
    {
        LoadedPlugin loaded = PluginLoader.Load(TestPlugin.MainAssemblyPath);
        using var http = new HttpClient();
        var settings = new PlatformSettings { Name = "echo", Plugin = TestPlugin.Kind };

        // DefaultModels comes from the dependency, so reading it makes the load context resolve that assembly.
        IPlatform platform = Assert.Single(loaded.Plugins).CreatePlatform(settings, new PlatformServices(http, NullLoggerFactory.Instance, TimeProvider.System));

        Assert.Equal(new[] { "echo-*" }, platform.DefaultModels);
        Assembly dependency = Assert.Single(
            AssemblyLoadContext.GetLoadContext(loaded.Assembly)!.Assemblies,
            a => a.GetName().Name == Path.GetFileNameWithoutExtension(TestPlugin.DependencyFileName));
        Assert.Equal(Path.Combine(TestPlugin.Folder, TestPlugin.DependencyFileName), dependency.Location);
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, TestPlugin.DependencyFileName)), "only the plugin folder may hold the dependency");
    }

    [Theory]
    [InlineData("Manifold.Contracts")]
    [InlineData("Microsoft.Extensions.Logging.Abstractions")]
    [InlineData("Microsoft.Extensions.DependencyInjection.Abstractions")]
    [InlineData("Microsoft.Extensions.Options")]
    [InlineData("Microsoft.Extensions.Primitives")]
    [InlineData("System.Text.Json")]
    public void PluginLoadContext_ResolvesSharedAssembliesToTheHostsCopy(string name)
    {
        // A copy in the plugin folder must lose to the host's, or the plugin would see different types.
        // Without a .deps.json the resolver offers every dll in the folder, the copy included.
        string mainAssembly = _scratch.AddTestPluginFolder();
        string folder = Path.GetDirectoryName(mainAssembly)!;
        File.Delete(Path.Combine(folder, TestPlugin.Name + ".deps.json"));
        Assembly hosts = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(name));
        File.Copy(hosts.Location, Path.Combine(folder, name + ".dll"));
        var context = new PluginLoadContext(mainAssembly);

        Assert.Same(hosts, context.LoadFromAssemblyName(new AssemblyName(name)));
    }

    [Fact]
    public void LoadFromDirectory_SkipsBrokenAssemblyWithWarning()
    {
        _scratch.AddTestPluginFolder();
        string broken = _scratch.AddFile("Broken/Broken.dll", "not a PE image"u8.ToArray());

        LoadedPlugin loaded = Assert.Single(PluginLoader.LoadFromDirectory(_scratch.Root, _logger));

        Assert.Equal(TestPlugin.Kind, Assert.Single(loaded.Plugins).Kind);
        RecordingLogger.Entry warning = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(nameof(PluginLoaderLog.LoadFailed), warning.EventName);
        Assert.Contains(broken, warning.Message);
        Assert.IsType<BadImageFormatException>(warning.Exception);
    }

    [Fact]
    public void LoadFromDirectory_LoadsLooseAssembliesAndSkipsThoseWithoutPluginsWithWarning()
    {
        string plugin = _scratch.AddLoose(TestPlugin.Name + ".dll");
        string library = _scratch.AddLoose(TestPlugin.DependencyFileName);

        LoadedPlugin loaded = Assert.Single(PluginLoader.LoadFromDirectory(_scratch.Root, _logger));

        Assert.Equal(plugin, loaded.AssemblyPath);
        RecordingLogger.Entry warning = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(nameof(PluginLoaderLog.NoPlugins), warning.EventName);
        Assert.Contains(library, warning.Message);
    }

    [Fact]
    public void LoadFromDirectory_SkipsFolderWithoutMainAssemblyWithWarning()
    {
        string folder = Path.Combine(_scratch.Root, "Misnamed");
        _scratch.AddFile("Misnamed/Other.dll", "never loaded"u8.ToArray());

        Assert.Empty(PluginLoader.LoadFromDirectory(_scratch.Root, _logger));

        RecordingLogger.Entry warning = Assert.Single(_logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(nameof(PluginLoaderLog.MainAssemblyMissing), warning.EventName);
        Assert.Contains(folder, warning.Message);
    }

    [Fact]
    public void LoadFromDirectory_MissingDirectoryYieldsNothingWithWarning()
    {
        string missing = Path.Combine(_scratch.Root, "missing");

        Assert.Empty(PluginLoader.LoadFromDirectory(missing, _logger));

        RecordingLogger.Entry entry = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains(missing, entry.Message);
    }

    [Fact]
    public void LoadFromDirectory_DuplicateKindThrowsNamingBothAssemblies()
    {
        string inFolder = _scratch.AddTestPluginFolder();
        string loose = _scratch.AddLoose(TestPlugin.Name + ".dll");

        var ex = Assert.Throws<InvalidOperationException>(() => PluginLoader.LoadFromDirectory(_scratch.Root, _logger));

        Assert.Contains(TestPlugin.Kind, ex.Message);
        Assert.Contains(inFolder, ex.Message);
        Assert.Contains(loose, ex.Message);
    }

    [Fact]
    public void LoadFromDirectories_LoadsEachFolderAndSkipsMissingOnes()
    {
        string missing = Path.Combine(_scratch.Root, "missing");

        LoadedPlugin loaded = Assert.Single(PluginLoader.LoadFromDirectories([missing, TestPlugin.PluginsDirectory], _logger));

        Assert.Equal(TestPlugin.MainAssemblyPath, loaded.AssemblyPath);
        Assert.Contains(_logger.Entries, e => e.EventName == nameof(PluginLoaderLog.DirectoryMissing) && e.Message.Contains(missing));
        Assert.Contains(_logger.Entries, e => e.EventName == nameof(PluginLoaderLog.LoadingDirectory) && e.Message.Contains(TestPlugin.PluginsDirectory));
    }

    [Fact]
    public void LoadFromDirectories_LogsEachPluginsPathVersionAndKinds()
    {
        PluginLoader.LoadFromDirectories([TestPlugin.PluginsDirectory], _logger);

        RecordingLogger.Entry entry = Assert.Single(_logger.Entries, e => e.EventName == nameof(PluginLoaderLog.Loaded));
        // The test plugin's project sets no version, so it has the SDK's default, 1.0.0.
        Assert.Equal($"Loaded plugin '{TestPlugin.MainAssemblyPath}' version 1.0.0 providing kinds: {TestPlugin.Kind}.", StripCommit(entry.Message));
    }

    [Fact]
    public void LoadFromDirectories_DuplicateKindAcrossFoldersThrowsNamingBothAssemblies()
    {
        string other = _scratch.AddTestPluginFolder();

        var ex = Assert.Throws<InvalidOperationException>(() => PluginLoader.LoadFromDirectories([TestPlugin.PluginsDirectory, _scratch.Root], _logger));

        Assert.Contains($"'{TestPlugin.Kind}'", ex.Message);
        Assert.Contains(TestPlugin.MainAssemblyPath, ex.Message);
        Assert.Contains(other, ex.Message);
    }

    // The SDK appends "+<commit>" to the informational version when the project is in a git repository.
    private static string StripCommit(string message) => System.Text.RegularExpressions.Regex.Replace(message, @"version ([^ +]+)\+\S+", "version $1");
}
