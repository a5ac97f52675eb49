using Manifold.Generator.Helpers;

namespace Manifold.Generator.Model
{
    /// <summary>Everything one spec file describes: its schemas and the operations of one adapter interface.</summary>
    internal sealed record ApiSpec(
        string FileName,
        string Namespace,
        string Protocol,
        string Adapter,
        string? Title,
        EquatableArray<SchemaSpec> Schemas,
        EquatableArray<EnumSpec> Enums,
        EquatableArray<OperationSpec> Operations)
    {
        public string InterfaceName => "I" + Adapter + "Adapter";
    }
}
