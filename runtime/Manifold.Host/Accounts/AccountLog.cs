namespace Manifold.Host.Accounts;

/// <summary>
/// The account pool's log messages. Arguments are platform names, account ids, counts and times: never a key, nor a
/// masked one (the id already names the account).
/// </summary>
public sealed partial class AccountLog(ILogger<AccountLog> logger)
{
    [LoggerMessage(1, LogLevel.Warning, "Platform {Platform} account {Account} is disabled after {Failures} authentication failures in a row; one trial request may use it again in {ProbeIn}")]
    public partial void CircuitOpened(string platform, string account, int failures, TimeSpan probeIn);

    [LoggerMessage(2, LogLevel.Warning, "Platform {Platform} account {Account} was refused again on its trial request; the next trial is in {ProbeIn}")]
    public partial void ProbeFailed(string platform, string account, TimeSpan probeIn);

    [LoggerMessage(3, LogLevel.Information, "Platform {Platform} account {Account} is accepted by the upstream again")]
    public partial void Recovered(string platform, string account);

    [LoggerMessage(4, LogLevel.Information, "Platform {Platform} account {Account} is rate-limited by the upstream; resting it for {Wait}")]
    public partial void RateLimited(string platform, string account, TimeSpan wait);

    [LoggerMessage(5, LogLevel.Warning, "Platform {Platform} account {Account} is stored with a key this node cannot decrypt ({Reason}); it is left out. Nodes sharing a database need the same Manifold__Accounts__EncryptionKey")]
    public partial void KeyUnreadable(string platform, string account, string reason);

    [LoggerMessage(6, LogLevel.Information, "Platform {Platform} now has {Count} account(s) ({Stored} from the database)")]
    public partial void PoolChanged(string platform, int count, int stored);

    [LoggerMessage(7, LogLevel.Warning, "Reading the accounts from the database failed; the pools stay as they were")]
    public partial void SyncFailed(Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "No Manifold__Accounts__EncryptionKey is set: the upstream keys of accounts added through the admin API are encrypted with a key generated into {Path}. Back it up with the database; nodes sharing the database need the same key (set Manifold__Accounts__EncryptionKey on each)")]
    public partial void GeneratedEncryptionKey(string path);
}
