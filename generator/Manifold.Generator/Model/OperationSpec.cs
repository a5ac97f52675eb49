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
        /// <summary>The path parameter is the id of a job Manifold made: the job's platform (and account) answers.</summary>
        Task,
        /// <summary>The caller's jobs, whatever platform made them: Manifold's task store answers.</summary>
        Tasks,
    }

    /// <summary>How the root route picks a platform. <see cref="Member"/> is the C# property (Body) or parameter (Path) name.</summary>
    internal sealed record RouteBySpec(RouteByKind Kind, string? Member);

    /// <summary>
    /// A file part of a <c>multipart/form-data</c> body: a <c>format: binary</c> property of the form schema (alone, in a
    /// <c>oneOf</c>, or as array items when <see cref="Multiple"/>). Files go to the adapter as <c>FileParts</c>, never into the DTO.
    /// </summary>
    internal sealed record FilePartSpec(string Name, bool Multiple);

    /// <summary>The list property of the response that fan-out results are concatenated into.</summary>
    internal sealed record MergeSpec(string ClrName, TypeRef ItemType);

    /// <summary>
    /// One endpoint: an adapter method and the route handler that calls it.
    /// <see cref="ResponseType"/> is null only when <see cref="StreamOnly"/>: such an operation never answers with JSON.
    /// <see cref="Aliases"/> are further route patterns (same path parameters) served by the same handler.
    /// <see cref="QueryParameters"/> are read by the handler; those not consumed by <see cref="Paging"/> are adapter arguments.
    /// Parameter sources, as ASP.NET Core's RequestDelegateGenerator models them: route (<see cref="PathParameters"/>), query
    /// (<see cref="QueryParameters"/>), a JSON body or, with <see cref="AcceptsForm"/>, a form read into the same
    /// <see cref="RequestType"/>, and file parts (<see cref="Files"/>). Responses: JSON (<see cref="ResponseType"/>), events
    /// (<see cref="StreamType"/>) or bytes (<see cref="BinaryResponse"/>), with the spec's 2xx <see cref="SuccessStatus"/>.
    /// <see cref="ServedByTasks"/>: the host's task layer answers it, so the adapter method has a default body and platforms
    /// need not implement it.
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
        PagingSpec? Paging,
        bool AcceptsForm = false,
        EquatableArray<FilePartSpec> Files = default,
        bool BinaryResponse = false,
        int SuccessStatus = 200,
        bool ServedByTasks = false)
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
