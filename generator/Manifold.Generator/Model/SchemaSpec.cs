using Manifold.Generator.Helpers;

namespace Manifold.Generator.Model
{
    internal enum SchemaKind
    {
        Object,
        Union,
    }

    /// <summary>A generated class: an object with properties, or a union with cases.</summary>
    internal sealed record SchemaSpec(
        string Name,
        SchemaKind Kind,
        string? Description,
        EquatableArray<PropertySpec> Properties,
        EquatableArray<UnionCaseSpec> Cases);
}
