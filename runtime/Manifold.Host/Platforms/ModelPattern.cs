namespace Manifold.Host.Platforms;

/// <summary>
/// A model a platform serves: an exact name, a <c>prefix*</c>, or <c>*</c> for everything.
/// Exact names beat prefixes, and longer prefixes beat shorter ones.
/// </summary>
internal readonly record struct ModelPattern(string Text)
{
    public bool IsPrefix => Text.EndsWith('*');

    /// <summary>How specific a match is (higher wins), or -1 for no match.</summary>
    public int Match(string model)
    {
        if (!IsPrefix)
        {
            return string.Equals(Text, model, StringComparison.OrdinalIgnoreCase) ? int.MaxValue : -1;
        }
        var prefix = Text.AsSpan(0, Text.Length - 1);
        return model.AsSpan().StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? prefix.Length : -1;
    }
}
