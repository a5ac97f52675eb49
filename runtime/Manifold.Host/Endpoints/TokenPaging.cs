using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Manifold.Host.Endpoints;

/// <summary>
/// Page tokens (Google's AIP-158) over a list the host holds whole: each page is <c>size</c> items from an offset, and the
/// token of the next page is that offset, opaque to clients. Offsets keep no state on the server; a list that changed
/// between two pages may repeat or skip an item there, which AIP-158 allows.
/// </summary>
public sealed class TokenPaging
{
    // Versioned, so a later token format can tell old tokens apart instead of misreading them.
    private const string Prefix = "mfo1.";

    private readonly int _size;
    private readonly int _offset;

    internal TokenPaging(int size, int offset)
    {
        _size = size;
        _offset = offset;
    }

    /// <summary>The page: the items from the token's offset, without repeated keys (the first of each wins), and the next page's token.</summary>
    public TokenPage<T> Take<T>(List<T> items, Func<T, string?> key)
    {
        var unique = Paging.Distinct(items, key);
        var start = Math.Min(_offset, unique.Count);
        var count = Math.Min(_size, unique.Count - start);
        var end = start + count;
        return new TokenPage<T>(unique.GetRange(start, count), end < unique.Count ? WriteToken(end) : null);
    }

    internal static bool TryReadToken(string token, out int offset)
    {
        offset = 0;
        var text = token.StartsWith(Prefix, StringComparison.Ordinal) ? token[Prefix.Length..] : null;
        if (text is null || text.Length > 16)
        {
            return false;
        }
        // TryDecodeFromChars throws on characters outside the alphabet; a client's stray token is a 400, not a crash.
        return Base64Url.IsValid(text)
            && int.TryParse(Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    private static string WriteToken(int offset) =>
        Prefix + Base64Url.EncodeToString(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));
}

/// <summary>One page of a token-paged list; <see cref="NextToken"/> is null on the last page.</summary>
public sealed record TokenPage<T>(List<T> Items, string? NextToken);
