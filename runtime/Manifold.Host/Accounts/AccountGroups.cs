using System.Text.RegularExpressions;

namespace Manifold.Host.Accounts;

/// <summary>
/// Account group names, and the seeds' way of naming groups in a request: <c>model|[group1,group2]</c>, where the model
/// sent upstream is the part before <c>|</c>.
/// </summary>
public static partial class AccountGroups
{
    public const string NameRule = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters";

    public static bool IsName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>
    /// Splits <paramref name="model"/> into the model and its groups. Returns false, with <paramref name="problem"/> null, for a
    /// model without the syntax (the common case, which allocates nothing); false with a problem for a malformed list.
    /// </summary>
    public static bool TrySplit(string model, out string bare, out string[] groups, out string? problem)
    {
        bare = model;
        groups = [];
        problem = null;
        var bar = model.IndexOf("|[", StringComparison.Ordinal);
        if (bar < 0)
        {
            return false;
        }
        if (bar == 0 || !model.EndsWith(']'))
        {
            problem = $"The model '{model}' names account groups in a form Manifold does not read; write model|[group1,group2].";
            return false;
        }
        var names = model[(bar + 2)..^1].Split(',', StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!IsName(name))
            {
                problem = $"The model '{model}' names the account group '{name}', which is not a group name ({NameRule}).";
                return false;
            }
        }
        bare = model[..bar].TrimEnd();
        groups = names.Distinct(StringComparer.Ordinal).ToArray();
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
