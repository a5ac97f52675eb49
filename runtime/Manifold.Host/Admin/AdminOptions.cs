namespace Manifold.Host.Admin;

/// <summary>The operator's side, bound from <c>Manifold:Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Manifold:Admin";

    /// <summary>
    /// The admin credential (<c>Authorization: Bearer</c>). Without it the admin API is off. A licence is never an admin
    /// credential: licences are handed to clients, this key only to operators.
    /// </summary>
    public string? Key { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Key);
}
