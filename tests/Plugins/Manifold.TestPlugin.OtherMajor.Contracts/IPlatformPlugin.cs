namespace Manifold.Contracts;

/// <summary>The plugin entry point as major 99 declares it: changed, as a new major may change it.</summary>
public interface IPlatformPlugin
{
    string Kind { get; }

    object CreatePlatform(IReadOnlyDictionary<string, string> settings);
}
