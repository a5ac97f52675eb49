namespace Manifold.Contracts;

/// <summary>
/// A model a platform serves, as operators write it in <c>Models</c> and plugins in <c>DefaultModels</c>:
/// an exact name, a <c>prefix*</c>, or <c>*</c> for everything, compared case-insensitively.
/// Exact names beat prefixes, and longer prefixes beat shorter ones. The host routes by it, and plugins
/// that filter model lists use it too, so both sides agree on what a platform serves.
/// </summary>
public readonly record struct ModelPattern(string Text)
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

    public bool Matches(string model) => Match(model) >= 0;
}
