namespace Manifold.Host.Tests.Plugins;

/// <summary>Where the build deployed tests/Plugins/Manifold.TestPlugin (see the CopyTestPlugin target).</summary>
internal static class TestPlugin
{
    public const string Name = "Manifold.TestPlugin";

    public const string DependencyFileName = "Manifold.TestPlugin.Dependency.dll";

    public const string Kind = "test-echo";

    public static string PluginsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "test-plugins");

    public static string Folder { get; } = Path.Combine(PluginsDirectory, Name);

    public static string MainAssemblyPath { get; } = Path.Combine(Folder, Name + ".dll");
}
