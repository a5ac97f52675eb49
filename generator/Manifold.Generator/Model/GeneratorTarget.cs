namespace Manifold.Generator.Model
{
    /// <summary>What the current project wants generated, from the MSBuild property <c>ManifoldGeneratorTarget</c>.</summary>
    internal enum GeneratorTarget
    {
        None,
        Contracts,
        Host,
    }
}
