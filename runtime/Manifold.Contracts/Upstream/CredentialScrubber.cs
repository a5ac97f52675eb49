using System.Buffers;
using System.Text;

namespace Manifold.Contracts.Upstream;

/// <summary>
/// Masks a known set of credentials (the upstream account keys) wherever they occur: in text (an error message), and in
/// bytes as they are relayed (<see cref="Mask"/> in place, with <see cref="HeldBackLength"/> for a key split across two
/// reads). The set is small, so a search is one vectorized <c>IndexOf</c> per key over bytes and one
/// <see cref="SearchValues{T}"/> scan over text: cheap enough for every relayed byte. Immutable; build a new one when
/// the keys change.
/// </summary>
public sealed class CredentialScrubber
{
    /// <summary>What a key becomes in text.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>
    /// Keys shorter than this are not masked: a few characters occur in ordinary text, and masking them would corrupt
    /// answers while protecting nothing a real credential needs (every vendor's keys are far longer).
    /// </summary>
    public const int MinKeyLength = 6;

    private readonly string[] _keyText;
    private readonly byte[][] _keys;
    private readonly SearchValues<string>? _text;
    private readonly SearchValues<byte>? _firstBytes;
    // The keys' UTF-8 bytes read as Latin-1 (one char per byte), for searching bytes widened the same way: exact byte
    // matches, found for all keys in one vectorized multi-string pass instead of one pass per key.
    private readonly SearchValues<string>? _latin1;

    public CredentialScrubber(IEnumerable<string?> keys)
    {
        var distinct = keys.Where(static k => k is { Length: >= MinKeyLength }).Select(static k => k!).Distinct(StringComparer.Ordinal).ToArray();
        _keyText = distinct;
        _keys = [.. distinct.Select(static k => Encoding.UTF8.GetBytes(k))];
        if (distinct.Length > 0)
        {
            _text = SearchValues.Create(distinct, StringComparison.Ordinal);
            _firstBytes = SearchValues.Create([.. _keys.Select(static k => k[0]).Distinct()]);
            MaxKeyBytes = _keys.Max(static k => k.Length);
            if (_keys.Length > PerKeySearchLimit)
            {
                _latin1 = SearchValues.Create([.. _keys.Select(static k => Encoding.Latin1.GetString(k))], StringComparison.Ordinal);
            }
        }
    }

    // Up to this many keys, one IndexOf per key beats widening the bytes for a multi-string search.
    private const int PerKeySearchLimit = 4;

    public static CredentialScrubber Empty { get; } = new([]);

    /// <summary>No keys: nothing to mask.</summary>
    public bool IsEmpty => _keys.Length == 0;

    /// <summary>The longest key in UTF-8 bytes (0 when empty).</summary>
    public int MaxKeyBytes { get; }

    /// <summary>Whether <paramref name="text"/> holds a key.</summary>
    public bool Contains(ReadOnlySpan<char> text) => _text is not null && text.IndexOfAny(_text) >= 0;

    /// <summary>Whether <paramref name="bytes"/> hold a key.</summary>
    public bool Contains(ReadOnlySpan<byte> bytes)
    {
        foreach (var key in _keys)
        {
            if (bytes.IndexOf(key) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><paramref name="text"/> with every key replaced by <see cref="Redacted"/>; the same instance when it holds none.</summary>
    public string Scrub(string text)
    {
        if (_text is null || text.AsSpan().IndexOfAny(_text) < 0)
        {
            return text;
        }
        var builder = new StringBuilder(text);
        foreach (var key in _keyText)
        {
            builder.Replace(key, Redacted);
        }
        return builder.ToString();
    }

    /// <inheritdoc cref="Scrub(string)"/>
    public string? ScrubOrNull(string? text) => text is null ? null : Scrub(text);

    /// <summary>Overwrites every key in <paramref name="bytes"/> with <c>*</c>, in place (same length, so framing and JSON stay intact); returns how many.</summary>
    public int Mask(Span<byte> bytes)
    {
        if (_latin1 is not null)
        {
            return MaskMany(bytes);
        }
        var masked = 0;
        foreach (var key in _keys)
        {
            var rest = bytes;
            int at;
            while ((at = rest.IndexOf(key)) >= 0)
            {
                rest.Slice(at, key.Length).Fill((byte)'*');
                rest = rest[(at + key.Length)..];
                masked++;
            }
        }
        return masked;
    }

    /// <summary>Many keys: the bytes widened to Latin-1 chars (a pooled buffer), searched for every key at once.</summary>
    private int MaskMany(Span<byte> bytes)
    {
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            var text = chars.AsSpan(0, Encoding.Latin1.GetChars(bytes, chars));
            var masked = 0;
            var offset = 0;
            int at;
            while ((at = text[offset..].IndexOfAny(_latin1!)) >= 0)
            {
                var start = offset + at;
                // Which key: the longest that matches here (one of few, found by the search; checked on the bytes).
                var length = 0;
                foreach (var key in _keys)
                {
                    if (key.Length > length && bytes[start..].StartsWith(key))
                    {
                        length = key.Length;
                    }
                }
                bytes.Slice(start, length).Fill((byte)'*');
                text.Slice(start, length).Fill('*');
                offset = start + length;
                masked++;
            }
            return masked;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>
    /// How many bytes at the end of <paramref name="bytes"/> could be the start of a key that the next read completes: the
    /// longest suffix that is a proper prefix of a key (0 almost always: a relayed chunk ends in a newline or a brace).
    /// A relay holds those bytes back until it knows, so no part of a key ever leaves before the rest is seen.
    /// </summary>
    public int HeldBackLength(ReadOnlySpan<byte> bytes)
    {
        if (_firstBytes is null || bytes.IsEmpty)
        {
            return 0;
        }
        var window = Math.Min(bytes.Length, MaxKeyBytes - 1);
        var tail = bytes[^window..];
        // The longest suffix first: the earliest place in the tail where a key's first byte occurs and the rest matches.
        var offset = 0;
        int at;
        while ((at = tail[offset..].IndexOfAny(_firstBytes)) >= 0)
        {
            var suffix = tail[(offset + at)..];
            foreach (var key in _keys)
            {
                if (suffix.Length < key.Length && key.AsSpan().StartsWith(suffix))
                {
                    return suffix.Length;
                }
            }
            offset += at + 1;
        }
        return 0;
    }
}
