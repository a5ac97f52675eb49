using Manifold.Host.Gateway;

namespace Manifold.Host.Accounts;

/// <summary>
/// The rules every account's health follows, with the clock they are read against: how long a failed account rests, how
/// many authentication failures open its circuit and how long until it is probed. Times are in
/// <see cref="TimeProvider.GetTimestamp"/> ticks, so the request path compares longs.
/// </summary>
public sealed class HealthPolicy
{
    public HealthPolicy(TimeProvider time, GatewayOptions gateway, AccountOptions accounts, AccountLog log)
    {
        Time = time;
        Log = log;
        CoolDown = gateway.CoolDown;
        AuthFailureLimit = Math.Max(1, accounts.AuthFailureLimit);
        ProbeInterval = accounts.ProbeInterval;
    }

    /// <summary>Defaults, for pools made outside dependency injection (tests of the invoker).</summary>
    public static HealthPolicy Default(TimeProvider time) =>
        new(time, new GatewayOptions(), new AccountOptions(), new AccountLog(Microsoft.Extensions.Logging.Abstractions.NullLogger<AccountLog>.Instance));

    public TimeProvider Time { get; }

    public AccountLog Log { get; }

    public TimeSpan CoolDown { get; }

    public int AuthFailureLimit { get; }

    public TimeSpan ProbeInterval { get; }

    public long Now => Time.GetTimestamp();

    /// <summary>Where rests and circuits are told to other nodes (PostgreSQL); null outside dependency injection.</summary>
    public AccountHealthBroadcast? Broadcast { get; init; }

    /// <summary><paramref name="span"/> in timestamp ticks, at most a day (a Retry-After of a year is a broken header, not a plan).</summary>
    public long Ticks(TimeSpan span) =>
        (long)(Math.Clamp(span.TotalSeconds, 0, TimeSpan.FromDays(1).TotalSeconds) * Time.TimestampFrequency);

    /// <summary>From now until <paramref name="timestamp"/>, for Retry-After and the admin API's times.</summary>
    public TimeSpan Until(long timestamp) => TimeSpan.FromSeconds(Math.Max(0, timestamp - Now) / (double)Time.TimestampFrequency);

    /// <summary>The wall-clock time of <paramref name="timestamp"/>; null for 0 (never).</summary>
    public DateTimeOffset? WallClock(long timestamp) =>
        timestamp == 0 ? null : Time.GetUtcNow() + TimeSpan.FromSeconds((timestamp - Now) / (double)Time.TimestampFrequency);
}
