namespace Manifold.TestPlugin.Dependency;

/// <summary>The models the echo platform serves, kept here so that serving them needs this assembly.</summary>
public static class EchoModels
{
    public static IReadOnlyList<string> Defaults { get; } = ["echo-*"];
}
