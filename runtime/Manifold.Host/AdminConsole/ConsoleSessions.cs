using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Manifold.Host.AdminConsole;

/// <summary>
/// The console's signed-in sessions, in this node's memory: an opaque random token (the cookie) maps to its CSRF token and
/// expiry. The map is keyed by the token's SHA-256, so a dump of the process's strings would not hand out live cookies, and
/// the admin key itself is never in the cookie. A restart signs everyone out, which is what a changed admin key needs anyway.
/// </summary>
public sealed class ConsoleSessions(TimeProvider time)
{
    /// <summary>Idle sessions end after this long; each use moves the end forward (sliding), up to <see cref="MaxLifetime"/>.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromHours(8);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    private const int MaxSessions = 10_000;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public sealed class Session(string csrfToken, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        public string CsrfToken { get; } = csrfToken;
        public DateTimeOffset CreatedAt { get; } = createdAt;
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
    }

    /// <summary>A new session: its cookie token (to hand to the browser, once) and the session itself.</summary>
    public (string Token, Session Session) Create()
    {
        var now = time.GetUtcNow();
        if (_sessions.Count >= MaxSessions)
        {
            Sweep(now);
        }
        var token = RandomToken();
        var session = new Session(RandomToken(), now, now + IdleLifetime);
        _sessions[Digest(token)] = session;
        return (token, session);
    }

    /// <summary>The live session behind a cookie token, its expiry moved forward; null when unknown or expired.</summary>
    public Session? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128 || !_sessions.TryGetValue(Digest(token), out var session))
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (session.ExpiresAt <= now)
        {
            _sessions.TryRemove(Digest(token), out _);
            return null;
        }
        var slid = now + IdleLifetime;
        var cap = session.CreatedAt + MaxLifetime;
        session.ExpiresAt = slid < cap ? slid : cap;
        return session;
    }

    public void End(string? token)
    {
        if (!string.IsNullOrEmpty(token) && token.Length <= 128)
        {
            _sessions.TryRemove(Digest(token), out _);
        }
    }

    /// <summary>Whether <paramref name="presented"/> is this session's CSRF token, compared in constant time.</summary>
    public static bool CsrfMatches(Session session, string? presented) =>
        presented is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(session.CsrfToken)));

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, session) in _sessions)
        {
            if (session.ExpiresAt <= now)
            {
                _sessions.TryRemove(key, out _);
            }
        }
    }

    private static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Digest(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
