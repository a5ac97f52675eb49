namespace Manifold.Host.Tests.Plugins;

/// <summary>
/// Where the build deployed the ABI test plugins (see the CopyTestPlugin target): abi-plugins/, apart from test-plugins/
/// so that the loader's own tests see one well-behaved plugin there.
/// </summary>
internal static class AbiPlugins
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "abi-plugins");

    /// <summary>tests/Plugins/Manifold.TestPlugin.OtherMajor: built against a stand-in Manifold.Contracts 99.0.0.0.</summary>
    public static string OtherMajorFolder { get; } = Path.Combine(Directory, "Manifold.TestPlugin.OtherMajor");

    public static string OtherMajorAssembly { get; } = Path.Combine(OtherMajorFolder, "Manifold.TestPlugin.OtherMajor.dll");

    /// <summary>tests/Plugins/Manifold.TestPlugin.OwnJson: ships its own, newer System.Text.Json.</summary>
    public static string OwnJsonFolder { get; } = Path.Combine(Directory, "Manifold.TestPlugin.OwnJson");

    public static string OwnJsonAssembly { get; } = Path.Combine(OwnJsonFolder, "Manifold.TestPlugin.OwnJson.dll");
}
