namespace Manifold.Host.Licences;

/// <summary>
/// A newly created licence together with its plaintext key. This is the only time the key exists outside the
/// client: hand it to the caller once and drop it.
/// </summary>
public sealed record IssuedLicence(Licence Licence, string Key)
{
    // A record's generated ToString prints every property; this one would put the key into any log line that
    // formats the object. Redact it.
    public override string ToString() => $"IssuedLicence {{ Licence = {Licence}, Key = {Licence.KeyPrefix}… (redacted) }}";
}
