using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Manifold.Host.Admin;
using Microsoft.Extensions.Options;

namespace Manifold.Host.AdminConsole;

/// <summary>
/// <c>/admin/session</c>: the console signs in (POST, with the admin key), reads its session back after a reload (GET: the
/// CSRF token again, which only a same-origin page can read), and signs out (DELETE). The cookie holds a signed session
/// (ConsoleSessions), never the key.
/// </summary>
internal static class ConsoleSessionEndpoints
{
    /// <summary>A wrong key's answer waits this long, so even within the throttle's allowance guessing is slow.</summary>
    private static readonly TimeSpan FailureDelay = TimeSpan.FromMilliseconds(400);

    public static void Map(IEndpointRouteBuilder endpoints, string path)
    {
        var session = endpoints.MapGroup(path).WithTags("Console");
        session.MapPost("", SignInAsync)
            .Accepts<SignInBody>("application/json")
            .Produces<SessionView>()
            .Produces<AdminError>(StatusCodes.Status401Unauthorized)
            .Produces<AdminError>(StatusCodes.Status429TooManyRequests)
            .WithSummary("Signs the console in with the admin key: sets an HttpOnly, SameSite=Strict session cookie and answers the session's CSRF token.");
        session.MapGet("", Read)
            .Produces<SessionView>()
            .Produces<AdminError>(StatusCodes.Status401Unauthorized)
            .WithSummary("The console's current session (its CSRF token and expiry), from its cookie.");
        session.MapDelete("", SignOut)
            .Produces(StatusCodes.Status204NoContent)
            .Produces<AdminError>(StatusCodes.Status403Forbidden)
            .WithSummary("Signs the console out: ends the session and clears its cookie.");
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IOptions<AdminOptions> options, ConsoleSessions sessions, SignInThrottle throttle,
        TimeProvider time, CancellationToken cancellationToken)
    {
        // A sign-in forced from another site would put the victim's browser in the attacker's console (login CSRF).
        if (ConsoleRequests.CrossOrigin(http.Request) is { } why)
        {
            return Results.Json(new AdminError(new(why, "invalid_request_error", null, "csrf_failed")), AdminJson.Options, statusCode: StatusCodes.Status403Forbidden);
        }
        // No address (an in-process test server, a Unix socket): all such callers share one allowance.
        var client = http.Connection.RemoteIpAddress ?? System.Net.IPAddress.None;
        if (throttle.RetryAfter(client) is { } wait && wait > TimeSpan.Zero)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(new AdminError(new($"Too many wrong admin keys from this address; try again in {Math.Ceiling(wait.TotalMinutes)} min.",
                "rate_limit_error", null, "too_many_sign_ins")), AdminJson.Options, statusCode: StatusCodes.Status429TooManyRequests);
        }
        var body = await AdminJson.ReadObjectAsync(http.Request, cancellationToken);
        if (body?["key"] is not System.Text.Json.Nodes.JsonValue value || !value.TryGetValue<string>(out var key) || key.Trim().Length == 0)
        {
            return AdminErrors.BadRequest("Send the admin key as {\"key\": \"...\"}.", "key", "missing_required_parameter");
        }
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Key?.Trim() ?? ""));
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim())), expected))
        {
            throttle.Failed(client);
            await Task.Delay(FailureDelay, time, cancellationToken);
            // Never echo what was sent: it may be a licence, or another system's secret.
            return AdminErrors.Unauthorized("Incorrect admin key.");
        }
        throttle.Succeeded(client);
        var (token, session) = sessions.Create();
        ConsoleRequests.SetCookie(http, token);
        return Results.Json(SessionView.From(session), AdminJson.Options);
    }

    private static IResult Read(HttpContext http, ConsoleSessions sessions)
    {
        if (sessions.Find(ConsoleRequests.SessionCookie(http.Request)) is not { } session)
        {
            return AdminErrors.Unauthorized("Not signed in.");
        }
        ConsoleRequests.Renew(http, session);
        return Results.Json(SessionView.From(session), AdminJson.Options);
    }

    private static IResult SignOut(HttpContext http, ConsoleSessions sessions)
    {
        var token = ConsoleRequests.SessionCookie(http.Request);
        if (sessions.Find(token) is { } session)
        {
            if (ConsoleRequests.CheckWrite(http.Request, session) is { } refusal)
            {
                return refusal;
            }
            sessions.End(token);
        }
        ConsoleRequests.DeleteCookie(http);
        return Results.NoContent();
    }
}

public sealed record SignInBody([property: JsonPropertyName("key")] string Key);

/// <summary>The console's session as its page sees it: the CSRF token to send in <c>X-CSRF-Token</c> with every change.</summary>
public sealed record SessionView(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("csrf_token")] string CsrfToken,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt)
{
    internal static SessionView From(ConsoleSessions.Session session) => new("admin.session", session.CsrfToken, session.ExpiresAt);
}
