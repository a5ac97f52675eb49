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

    /// <summary>
    /// One endpoint: an adapter method and the route handler that calls it.
    /// <see cref="ResponseType"/> is null only when <see cref="StreamOnly"/>: such an operation never answers with JSON.
    /// <see cref="Aliases"/> are further route patterns (same path parameters) served by the same handler.
    /// <see cref="QueryParameters"/> are read by the handler; those not consumed by <see cref="Paging"/> are adapter arguments.
    /// </summary>
    internal sealed record OperationSpec(
        string OperationId,
        string MethodName,
        string HttpMethod,
        string Path,
        string? Summary,
        EquatableArray<string> PathParameters,
        string? RequestType,
        string? ResponseType,
        string? StreamType,
        string? StreamWhen,
        bool StreamOnly,
        RouteBySpec RouteBy,
        MergeSpec? Merge,
        EquatableArray<string> Aliases,
        EquatableArray<QueryParameterSpec> QueryParameters,
        PagingSpec? Paging)
    {

        /// <summary>
        /// The adapter method that yields events: the operation's own method when it only streams
        /// (<c>x-manifold-stream: always</c>), else <c>…StreamAsync</c> beside the JSON one; null without a stream.
        /// </summary>
        public string? StreamMethodName =>
            StreamType is null ? null
            : StreamOnly ? MethodName
            : MethodName.Substring(0, MethodName.Length - "Async".Length) + "StreamAsync";
    }
}
