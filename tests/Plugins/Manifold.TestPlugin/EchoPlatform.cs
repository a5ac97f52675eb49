using Manifold.Contracts;
using Manifold.TestPlugin.Dependency;

namespace Manifold.TestPlugin;

/// <summary>A platform that serves <c>echo-*</c> models; its defaults come from the plugin's private dependency.</summary>
internal sealed class EchoPlatform(string name) : IPlatform
{
    public string Name { get; } = name;

    public IReadOnlyList<string> DefaultModels => EchoModels.Defaults;
}
