namespace Manifold.Contracts;

/// <summary>
/// Endpoints a plugin adds to the gateway: the operations of the plugin's own specs. A plugin project whose
/// <c>ManifoldGeneratorTarget</c> is <c>Plugin</c> gets one implementation per spec file from the generator; nobody writes
/// one by hand. The host creates every public, non-abstract implementation (with a public parameterless constructor) in a
/// plugin assembly when it loads the plugin, and maps the operations before the gateway starts serving.
/// </summary>
public interface IPluginEndpoints
{
    /// <summary>The operations of one spec file, in the file's order.</summary>
    IReadOnlyList<PluginOperation> Operations { get; }
}
