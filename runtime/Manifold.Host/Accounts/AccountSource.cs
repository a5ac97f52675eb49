namespace Manifold.Host.Accounts;

/// <summary>Where an account comes from.</summary>
public enum AccountSource
{
    /// <summary><c>Manifold:Platforms:{name}:Accounts:{i}</c>: its key lives there; its routing settings may be overridden through the admin API.</summary>
    Config,

    /// <summary>Added through the admin API and kept, its key encrypted, in the database.</summary>
    Database,
}
