namespace Manifold.Generator.Model
{
    /// <summary>What the current project wants generated, from the MSBuild property <c>ManifoldGeneratorTarget</c>.</summary>
    internal enum GeneratorTarget
    {
        None,
        Contracts,
        Host,
        /// <summary>
        /// A plugin project with specs of its own: their DTOs and adapter interfaces (as for Contracts) and a description of
        /// each operation that the host maps when the plugin loads (instead of the Host target's handlers).
        /// </summary>
        Plugin,
    }
}
