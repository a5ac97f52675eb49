using Manifold.Contracts;

namespace Manifold.TestPlugin.OtherMajor;

/// <summary>The <c>test-other-major</c> kind, which the host must never create.</summary>
public sealed class OtherMajorPlugin : IPlatformPlugin
{
    public string Kind => "test-other-major";

    public object CreatePlatform(IReadOnlyDictionary<string, string> settings) =>
        throw new InvalidOperationException("A host of another contracts major must not create this plugin's platforms.");
}
