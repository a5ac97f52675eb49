namespace Manifold.Contracts;

/// <summary>
/// The entry point of a platform plugin. The host scans each plugin assembly for public,
/// non-abstract types implementing this interface (with a public parameterless constructor)
/// and creates one platform per configured <c>Manifold:Platforms:&lt;name&gt;</c> whose
/// <c>Plugin</c> equals <see cref="Kind"/>.
/// </summary>
public interface IPlatformPlugin
{
    /// <summary>The plugin kind operators name in configuration, e.g. <c>openai</c>.</summary>
    string Kind { get; }

    /// <summary>Creates a platform. The object returned implements the generated adapter interfaces it supports.</summary>
    IPlatform CreatePlatform(PlatformSettings settings, PlatformServices services);
}
