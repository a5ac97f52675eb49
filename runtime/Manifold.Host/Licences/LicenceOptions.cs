namespace Manifold.Host.Licences;

/// <summary>Licence settings, bound from the <c>Manifold</c> section.</summary>
public sealed class LicenceOptions
{
    public const string SectionName = "Manifold";

    /// <summary>
    /// Optional operator-chosen key that is made valid at startup, so a fresh install can be called (and can create
    /// real licences) before any licence exists. Keep it in a secret store or environment variable, not in a file.
    /// </summary>
    public string? BootstrapKey { get; set; }
}
