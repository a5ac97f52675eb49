namespace Manifold.Generator.Model
{
    /// <summary>
    /// One property of an object schema.
    /// <see cref="Required"/>: listed in <c>required</c> and not nullable, so validated and non-nullable in C#.
    /// <see cref="WriteNull"/>: required but nullable, so always written, even as <c>null</c>.
    /// </summary>
    internal sealed record PropertySpec(
        string JsonName,
        string ClrName,
        TypeRef Type,
        bool Required,
        bool WriteNull,
        string? Const,
        string? EnumClass,
        string? Description);
}
