using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Manifold.Host.Admin;
using Microsoft.Extensions.Options;

namespace Manifold.Host.AdminConsole;

/// <summary>
/// The console's signed-in sessions, held by the browser: the cookie is a session id with its sign-in and last-renewal
/// times, signed with HMAC-SHA256 under a key derived from the admin key. Any node configured with the same admin key
/// accepts it, so the console works behind a load balancer without sticky sessions and survives restarts; changing the
/// admin key ends every session on every node. The admin key itself is never in the cookie, and the CSRF token is derived
/// from the session id under the same key, so any node can check it too.
/// </summary>
/// <remarks>
/// Signing out deletes the cookie and remembers the session id on the node that served it, as ASP.NET Core's own cookie
/// authentication does; a copy of the cookie taken before the sign-out stays valid on other nodes until it expires (at most
/// <see cref="IdleLifetime"/> unused). docs/operations.md says so.
/// </remarks>
public sealed class ConsoleSessions
{
    /// <summary>Idle sessions end after this long; use renews them (at most every <see cref="RenewAfter"/>), up to <see cref="MaxLifetime"/>.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromHours(8);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    /// <summary>A session used later than this after its cookie was issued gets a new cookie with a later idle end.</summary>
    public static readonly TimeSpan RenewAfter = TimeSpan.FromMinutes(5);

    private const int IdBytes = 16;
    private const int PayloadBytes = IdBytes + 8 + 8;
    private const int MacBytes = HMACSHA256.HashSizeInBytes;
    private const int MaxTokenLength = 128;
    private const int MaxSignedOut = 10_000;

    private readonly TimeProvider _time;
    private readonly byte[] _key;
    // Sessions signed out on this node, until their cookies would have expired anyway.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _signedOut = new(StringComparer.Ordinal);

    public ConsoleSessions(IOptions<AdminOptions> options, TimeProvider time)
    {
        _time = time;
        // A key of its own for sessions: a leaked cookie signature says nothing about the admin key, and no other use of
        // the admin key can produce a valid cookie.
        _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Key?.Trim() ?? ""), "manifold console session v1"u8);
    }

    public sealed class Session
    {
        internal Session(string id, string csrfToken, DateTimeOffset createdAt, DateTimeOffset expiresAt, string? renewedToken)
        {
            Id = id;
            CsrfToken = csrfToken;
            CreatedAt = createdAt;
            ExpiresAt = expiresAt;
            RenewedToken = renewedToken;
        }

        internal string Id { get; }

        public string CsrfToken { get; }

        public DateTimeOffset CreatedAt { get; }

        public DateTimeOffset ExpiresAt { get; }

        /// <summary>A new cookie value with a later idle end, when this use renewed the session; null when the cookie stands.</summary>
        public string? RenewedToken { get; }
    }

    /// <summary>A new session: its cookie token (to hand to the browser) and the session itself.</summary>
    public (string Token, Session Session) Create()
    {
        var now = Truncate(_time.GetUtcNow());
        var id = RandomNumberGenerator.GetBytes(IdBytes);
        var token = Sign(id, now, now);
        return (token, Describe(id, now, now, renewedToken: null));
    }

    /// <summary>The live session behind a cookie token (renewed when due); null when forged, expired or signed out here.</summary>
    public Session? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !TryVerify(token, out var id, out var created, out var issued))
        {
            return null;
        }
        var now = _time.GetUtcNow();
        if (ExpiryOf(created, issued) <= now || _signedOut.ContainsKey(IdText(id)))
        {
            return null;
        }
        if (now - issued < RenewAfter)
        {
            return Describe(id, created, issued, renewedToken: null);
        }
        var renewed = Truncate(now);
        return Describe(id, created, renewed, Sign(id, created, renewed));
    }

    /// <summary>Ends the session behind <paramref name="token"/> on this node (the caller deletes the cookie).</summary>
    public void End(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !TryVerify(token, out var id, out var created, out _))
        {
            return;
        }
        var now = _time.GetUtcNow();
        if (_signedOut.Count >= MaxSignedOut)
        {
            foreach (var (key, until) in _signedOut)
            {
                if (until <= now)
                {
                    _signedOut.TryRemove(key, out _);
                }
            }
        }
        // Remembered until the cookie could not be valid any more, whatever renewals it had.
        _signedOut[IdText(id)] = created + MaxLifetime;
    }

    /// <summary>Whether <paramref name="presented"/> is this session's CSRF token, compared in constant time.</summary>
    public static bool CsrfMatches(Session session, string? presented) =>
        presented is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(session.CsrfToken)));

    private Session Describe(byte[] id, DateTimeOffset created, DateTimeOffset issued, string? renewedToken)
    {
        Span<byte> input = stackalloc byte[5 + IdBytes];
        "csrf:"u8.CopyTo(input);
        id.CopyTo(input[5..]);
        var csrf = Base64Url.EncodeToString(HMACSHA256.HashData(_key, input));
        return new Session(IdText(id), csrf, created, ExpiryOf(created, issued), renewedToken);
    }

    private static DateTimeOffset ExpiryOf(DateTimeOffset created, DateTimeOffset issued)
    {
        var idle = issued + IdleLifetime;
        var cap = created + MaxLifetime;
        return idle < cap ? idle : cap;
    }

    private string Sign(byte[] id, DateTimeOffset created, DateTimeOffset issued)
    {
        Span<byte> payload = stackalloc byte[PayloadBytes];
        id.CopyTo(payload);
        BinaryPrimitives.WriteInt64BigEndian(payload[IdBytes..], created.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(payload[(IdBytes + 8)..], issued.ToUnixTimeSeconds());
        Span<byte> mac = stackalloc byte[MacBytes];
        HMACSHA256.HashData(_key, payload, mac);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
    }

    private bool TryVerify(string token, out byte[] id, out DateTimeOffset created, out DateTimeOffset issued)
    {
        id = [];
        created = issued = default;
        var dot = token.IndexOf('.');
        if (dot < 0)
        {
            return false;
        }
        Span<byte> payload = stackalloc byte[PayloadBytes + 3];
        Span<byte> presented = stackalloc byte[MacBytes + 3];
        if (Base64Url.DecodeFromChars(token.AsSpan(0, dot), payload, out _, out var payloadLength) != System.Buffers.OperationStatus.Done
            || payloadLength != PayloadBytes
            || Base64Url.DecodeFromChars(token.AsSpan(dot + 1), presented, out _, out var macLength) != System.Buffers.OperationStatus.Done
            || macLength != MacBytes)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[MacBytes];
        HMACSHA256.HashData(_key, payload[..PayloadBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, presented[..MacBytes]))
        {
            return false;
        }
        id = payload[..IdBytes].ToArray();
        created = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload[IdBytes..]));
        issued = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload[(IdBytes + 8)..]));
        return true;
    }

    private static string IdText(byte[] id) => Convert.ToHexString(id);

    // The cookie carries whole seconds; the session the caller sees must say the same times the cookie does.
    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());
}
