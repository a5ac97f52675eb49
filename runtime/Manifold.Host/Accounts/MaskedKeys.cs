namespace Manifold.Host.Accounts;

/// <summary>
/// An upstream key as lists show it, <c>sk-…abcd</c>: its first three characters (a vendor's prefix) and its last four,
/// the way vendors' consoles tell keys apart. A key too short to keep secret with eight characters shown shows fewer.
/// </summary>
public static class MaskedKeys
{
    public static string Of(string key)
    {
        key = key.Trim();
        return key.Length switch
        {
            >= 20 => string.Concat(key.AsSpan(0, 3), "…", key.AsSpan(key.Length - 4)),
            >= 10 => string.Concat("…", key.AsSpan(key.Length - 2)),
            _ => "…",
        };
    }
}
