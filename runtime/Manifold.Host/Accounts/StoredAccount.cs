namespace Manifold.Host.Accounts;

/// <summary>
/// A row of the <c>accounts</c> table: an account added through the admin API (<see cref="AccountSource.Database"/>, its key
/// encrypted), or an operator's override of a configured account's settings (<see cref="AccountSource.Config"/>, no key).
/// </summary>
public sealed record StoredAccount(
    string Platform,
    string Id,
    AccountSource Source,
    string? KeyCiphertext,
    string? MaskedKey,
    AccountSettings Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    // The ciphertext is no secret without the encryption key, but nothing gains from seeing it in a log either.
    public override string ToString() => $"StoredAccount {{ Platform = {Platform}, Id = {Id}, Source = {Source} }}";
}
