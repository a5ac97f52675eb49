namespace Manifold.Generator.Model
{
    internal enum TypeKind
    {
        String,
        Integer,
        Number,
        Boolean,
        /// <summary>Free-form JSON, kept as a JsonElement.</summary>
        Json,
        /// <summary>A generated class (object or union) in the spec's namespace.</summary>
        Named,
        Array,
        Map,
    }

    /// <summary>The type of a property or union case. <see cref="Item"/> is the element type of arrays and maps.</summary>
    internal sealed record TypeRef(TypeKind Kind, string? Name = null, TypeRef? Item = null)
    {
        public static readonly TypeRef String = new TypeRef(TypeKind.String);
        public static readonly TypeRef Integer = new TypeRef(TypeKind.Integer);
        public static readonly TypeRef Number = new TypeRef(TypeKind.Number);
        public static readonly TypeRef Boolean = new TypeRef(TypeKind.Boolean);
        public static readonly TypeRef Json = new TypeRef(TypeKind.Json);

        public bool IsValueType => Kind is TypeKind.Integer or TypeKind.Number or TypeKind.Boolean or TypeKind.Json;
    }
}
