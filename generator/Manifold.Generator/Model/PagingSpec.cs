namespace Manifold.Generator.Model
{
    internal enum PagingKind
    {
        /// <summary>Opaque page tokens (Google's AIP-158): <c>pageSize</c>, <c>pageToken</c> in, <c>nextPageToken</c> out.</summary>
        Token,
        /// <summary>Item-id cursors (Anthropic's lists): <c>limit</c>, <c>after_id</c>, <c>before_id</c> in, <c>has_more</c>, <c>first_id</c>, <c>last_id</c> out.</summary>
        Cursor,
    }

    /// <summary>
    /// <c>x-manifold-page</c>: the host pages the list named by <c>x-manifold-merge</c> (one platform's, or every platform's
    /// merged) for the caller, so adapters return whole lists. Query parameters are their wire names (the handler's locals are
    /// the parameters' C# names); response and item properties are C# names. <see cref="DefaultSize"/> is the size parameter's
    /// <c>default</c>; a larger size than <see cref="MaxSize"/> is lowered to it (AIP-158), while the parameter's own
    /// <c>maximum</c>, when it has one, refuses it.
    /// </summary>
    internal sealed record PagingSpec(
        PagingKind Kind,
        QueryParameterSpec Size,
        long DefaultSize,
        long? MaxSize,
        string Key,
        QueryParameterSpec? Token,
        string? Next,
        QueryParameterSpec? After,
        QueryParameterSpec? Before,
        string? HasMore,
        string? First,
        string? Last);
}
