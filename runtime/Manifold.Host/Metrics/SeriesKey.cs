namespace Manifold.Host.Metrics;

/// <summary>
/// The label values of one series, in the family's label order. A struct of up to four strings, so that looking a series
/// up on the request path hashes and compares strings without allocating a key.
/// </summary>
internal readonly struct SeriesKey : IEquatable<SeriesKey>, IComparable<SeriesKey>
{
    public const int MaxLabels = 4;

    private readonly string _a;
    private readonly string _b;
    private readonly string _c;
    private readonly string _d;

    public SeriesKey(string a, string b, string c, string d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    public string this[int index] => index switch
    {
        0 => _a,
        1 => _b,
        2 => _c,
        3 => _d,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public bool Equals(SeriesKey other) =>
        string.Equals(_a, other._a, StringComparison.Ordinal) && string.Equals(_b, other._b, StringComparison.Ordinal)
        && string.Equals(_c, other._c, StringComparison.Ordinal) && string.Equals(_d, other._d, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is SeriesKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    /// <summary>Ordinal, label by label: the exposition's series order, the same on every scrape.</summary>
    public int CompareTo(SeriesKey other)
    {
        var order = string.CompareOrdinal(_a, other._a);
        if (order == 0)
        {
            order = string.CompareOrdinal(_b, other._b);
        }
        if (order == 0)
        {
            order = string.CompareOrdinal(_c, other._c);
        }
        return order != 0 ? order : string.CompareOrdinal(_d, other._d);
    }
}
