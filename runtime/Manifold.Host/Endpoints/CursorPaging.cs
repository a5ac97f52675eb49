namespace Manifold.Host.Endpoints;

/// <summary>
/// Cursor paging by item key over a list the host holds whole, as Anthropic's lists page: up to <c>size</c> items right
/// after the <c>after</c> key, or right before the <c>before</c> key, or from the start; <c>has_more</c> says whether more
/// lie beyond the page in that direction. A key the list no longer holds gives an empty last page rather than an error:
/// the list changed between two pages, and a client paging through it stops there.
/// </summary>
public sealed class CursorPaging
{
    private readonly int _size;
    private readonly string? _after;
    private readonly string? _before;

    internal CursorPaging(int size, string? after, string? before)
    {
        _size = size;
        _after = after;
        _before = before;
    }

    /// <summary>The page, with keys made unique first (the first of each wins): a cursor must name exactly one item.</summary>
    public CursorPage<T> Take<T>(List<T> items, Func<T, string?> key)
    {
        var unique = Paging.Distinct(items, key);
        int start, end;
        bool hasMore;
        if (_before is not null)
        {
            end = unique.FindIndex(item => key(item) == _before);
            if (end < 0)
            {
                return CursorPage<T>.Empty();
            }
            start = Math.Max(0, end - _size);
            hasMore = start > 0;
        }
        else
        {
            start = 0;
            if (_after is not null)
            {
                var index = unique.FindIndex(item => key(item) == _after);
                if (index < 0)
                {
                    return CursorPage<T>.Empty();
                }
                start = index + 1;
            }
            end = Math.Min(unique.Count, start + _size);
            hasMore = end < unique.Count;
        }
        var page = unique.GetRange(start, end - start);
        return new CursorPage<T>(page, hasMore, page.Count == 0 ? null : key(page[0]), page.Count == 0 ? null : key(page[^1]));
    }
}

/// <summary>One page of a cursor-paged list: its items, whether more lie beyond it, and its first and last keys (null when empty).</summary>
public sealed record CursorPage<T>(List<T> Items, bool HasMore, string? FirstKey, string? LastKey)
{
    public static CursorPage<T> Empty() => new([], false, null, null);
}
