using Manifold.Generator.Helpers;

namespace Manifold.Generator.Model
{
    /// <summary>A string enum; emitted as a constants class, since upstreams add values over time.</summary>
    internal sealed record EnumSpec(string ClassName, string? Description, EquatableArray<string> Values);
}
