namespace Manifold.Generator.Model
{
    /// <summary>The JSON token kinds a union tells its cases apart by.</summary>
    internal enum JsonKind
    {
        String,
        Number,
        Boolean,
        Array,
        Object,
    }

    /// <summary>One alternative of a <c>oneOf</c>: the JSON kind that selects it and its C# member.</summary>
    internal sealed record UnionCaseSpec(JsonKind Kind, string MemberName, TypeRef Type);
}
