namespace Manifold.Host.Accounts;

/// <summary>
/// How routing treats one account: its place in the order (<see cref="Priority"/>, then <see cref="Weight"/>), the
/// <see cref="Group"/> licences and requests may be limited to, how many requests it may carry at once, and whether it is
/// used at all. Set in configuration (<c>Accounts:{i}:Weight</c>, …) or through the admin API.
/// </summary>
public sealed record AccountSettings
{
    /// <summary>The group of an account that names none.</summary>
    public const string DefaultGroup = "default";

    public const int MaxWeight = 1_000_000;

    public static AccountSettings Default { get; } = new();

    /// <summary>An operator's label, for telling accounts apart; never used for routing.</summary>
    public string? Name { get; init; }

    /// <summary>Its share of the requests among usable accounts of the same priority (1 to <see cref="MaxWeight"/>).</summary>
    public int Weight { get; init; } = 1;

    /// <summary>Lower is tried first; an account of a higher number is used only when none of a lower one is usable.</summary>
    public int Priority { get; init; }

    public string Group { get; init; } = DefaultGroup;

    /// <summary>How many requests it carries at once (a stream until its last byte); null for no limit.</summary>
    public int? MaxConcurrency { get; init; }

    public bool Enabled { get; init; } = true;
}
