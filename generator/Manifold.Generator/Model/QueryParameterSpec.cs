namespace Manifold.Generator.Model
{
    /// <summary>
    /// One <c>in: query</c> parameter. <see cref="Type"/> is <see cref="TypeKind.String"/>, <see cref="TypeKind.Integer"/> or
    /// <see cref="TypeKind.Boolean"/>. <see cref="Default"/> is the schema's <c>default</c> as a C# literal; with one (or
    /// <see cref="Required"/>) the value is never null. <see cref="Minimum"/> and <see cref="Maximum"/> bound an integer:
    /// a value outside them is the caller's 400. <see cref="Paging"/>: consumed by the host's pager
    /// (<c>x-manifold-page</c>), not passed to the adapter. <see cref="BodyProperty"/>: <c>x-manifold-body</c>, the request
    /// property this parameter sets when given (the seeds' <c>?async=true</c> beside a body's <c>async</c>); such a parameter is
    /// not passed to the adapter either, which reads the property. The parser holds the spec's name until the request type is
    /// known, then the C# property name.
    /// </summary>
    internal sealed record QueryParameterSpec(
        string Name,
        string ClrName,
        TypeKind Type,
        bool Required,
        string? Default,
        long? Minimum,
        long? Maximum,
        string? Description,
        bool Paging,
        string? BodyProperty = null);
}
