using Manifold.Generator.Helpers;

namespace Manifold.Generator.Model
{
    internal enum RouteByKind
    {
        /// <summary>The model is a request body property.</summary>
        Body,
        /// <summary>The model is a path parameter.</summary>
        Path,
        /// <summary>At the root every platform answers and the lists are concatenated.</summary>
        All,
    }

    /// <summary>How the root route picks a platform. <see cref="Member"/> is the C# property (Body) or parameter (Path) name.</summary>
    internal sealed record RouteBySpec(RouteByKind Kind, string? Member);

    /// <summary>The list property of the response that fan-out results are concatenated into.</summary>
    internal sealed record MergeSpec(string ClrName, TypeRef ItemType);

    /// <summary>One endpoint: an adapter method and the route handler that calls it.</summary>
    internal sealed record OperationSpec(
        string OperationId,
        string MethodName,
        string HttpMethod,
        string Path,
        string? Summary,
        EquatableArray<string> PathParameters,
        string? RequestType,
        string ResponseType,
        string? StreamType,
        string? StreamWhen,
        RouteBySpec RouteBy,
        MergeSpec? Merge);
}
