namespace Manifold.Generator.Model
{
    /// <summary>
    /// One property of an object schema.
    /// <see cref="Required"/>: listed in <c>required</c> and not nullable, so validated and non-nullable in C#.
    /// <see cref="WriteNull"/>: required but nullable, so always written, even as <c>null</c>.
    /// <see cref="KeepAssignedNull"/>: optional and nullable (or free-form), so a null is written when it was assigned,
    /// by JSON or by code, and left out when the property was never set: a relayed answer keeps the upstream's nulls.
    /// <see cref="SnakeCase"/>: a second JSON name the property is also read from (<c>snake-case-aliases</c>).
    /// <see cref="Minimum"/>, <see cref="Maximum"/>: a number's or an integer's inclusive bounds from the spec, as C# literals,
    /// checked by <c>Validate()</c> so a request out of range is a 400 naming the field before any platform sees it.
    /// </summary>
    internal sealed record PropertySpec(
        string JsonName,
        string ClrName,
        TypeRef Type,
        bool Required,
        bool WriteNull,
        string? Const,
        string? EnumClass,
        string? Description,
        JsonAliasSpec? SnakeCase = null,
        bool KeepAssignedNull = false,
        string? Minimum = null,
        string? Maximum = null);

    /// <summary>A read-only-from-JSON alias of a property: its JSON name and the setter-only C# property that carries it.</summary>
    internal sealed record JsonAliasSpec(string JsonName, string ClrName);
}
