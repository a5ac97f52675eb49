namespace Manifold.Host.Endpoints;

/// <summary>What both paging styles do to a list before cutting a page from it.</summary>
internal static class Paging
{
    /// <summary>
    /// The items without repeated keys, the first of each kept. A merged list repeats a model that two platforms both serve;
    /// a paged list names each item once (a cursor must find one item, and a resource name is one resource).
    /// </summary>
    public static List<T> Distinct<T>(List<T> items, Func<T, string?> key)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<T>(items.Count);
        foreach (var item in items)
        {
            if (item is not null && (key(item) is not { } name || seen.Add(name)))
            {
                unique.Add(item);
            }
        }
        return unique;
    }
}
