namespace Manifold.Contracts.Upstream;

/// <summary>
/// Reads an upstream's whole model list when it comes in pages (Anthropic's <c>after_id</c> cursors, Google's page
/// tokens): the host pages what it serves itself, so a plugin hands it every model at once.
/// </summary>
public static class ModelPages
{
    /// <summary>The most models to ask for in one page: as many as the vendors allow, so one page is the usual case.</summary>
    public const int PageSize = 1000;

    /// <summary>The most pages followed, against a misbehaving upstream that never ends its list.</summary>
    public const int MaxPages = 10;

    /// <summary>
    /// Every item of every page, in order. <paramref name="readPage"/> gets the cursor of the page to read (null for the
    /// first) and returns that page's items and the next page's cursor (null or empty on the last page).
    /// </summary>
    public static async Task<List<T>> ReadAllAsync<T>(Func<string?, Task<ModelPage<T>>> readPage)
    {
        ArgumentNullException.ThrowIfNull(readPage);
        var items = new List<T>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var read = await readPage(cursor).ConfigureAwait(false);
            items.AddRange(read.Items ?? []);
            cursor = read.Next;
            if (string.IsNullOrEmpty(cursor))
            {
                break;
            }
        }
        return items;
    }
}

/// <summary>One page of an upstream's model list: its items, and the cursor of the next page (null or empty on the last).</summary>
public readonly record struct ModelPage<T>(IEnumerable<T>? Items, string? Next);
