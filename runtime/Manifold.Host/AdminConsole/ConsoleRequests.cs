using Manifold.Host.Admin;

namespace Manifold.Host.AdminConsole;

/// <summary>
/// How the admin API trusts a browser that signed in to the console. The cookie alone proves only that the browser holds a
/// session, and a browser sends cookies along with requests other sites make it send; so every state-changing request
/// (anything but GET/HEAD/OPTIONS) must also carry the session's CSRF token in <see cref="CsrfHeader"/> — which another
/// site's page cannot read — and must not come from another origin (<c>Sec-Fetch-Site</c>, <c>Origin</c>).
/// </summary>
internal static class ConsoleRequests
{
    public const string CookieName = "manifold_console";
    public const string CsrfHeader = "X-CSRF-Token";

    public static string? SessionCookie(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var token) && !string.IsNullOrEmpty(token) ? token : null;

    /// <summary>Null when the request may go on; otherwise the refusal (401 for no live session, 403 for missing CSRF proof).</summary>
    public static IResult? Check(HttpContext http, ConsoleSessions sessions, string cookie)
    {
        if (sessions.Find(cookie) is not { } session)
        {
            return AdminErrors.Unauthorized("Your console session has ended; sign in again at /admin.");
        }
        Renew(http, session);
        return IsSafe(http.Request.Method) ? null : CheckWrite(http.Request, session);
    }

    /// <summary>Hands the browser the session's renewed cookie, when this use renewed it (ConsoleSessions.RenewAfter).</summary>
    public static void Renew(HttpContext http, ConsoleSessions.Session session)
    {
        if (session.RenewedToken is { } token)
        {
            SetCookie(http, token);
        }
    }

    public static void SetCookie(HttpContext http, string token) => http.Response.Cookies.Append(CookieName, token, CookieOptions(http.Request));

    public static void DeleteCookie(HttpContext http) => http.Response.Cookies.Delete(CookieName, CookieOptions(http.Request));

    /// <summary>HttpOnly (no script reads it), SameSite=Strict (no other site's link or form sends it), only under /admin, Secure over HTTPS.</summary>
    private static CookieOptions CookieOptions(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = request.PathBase + "/admin",
        IsEssential = true,
    };

    /// <summary>The CSRF checks alone, for a write that a live <paramref name="session"/> makes.</summary>
    public static IResult? CheckWrite(HttpRequest request, ConsoleSessions.Session session)
    {
        if (CrossOrigin(request) is { } why)
        {
            return Forbidden(why);
        }
        return ConsoleSessions.CsrfMatches(session, request.Headers[CsrfHeader].ToString())
            ? null
            : Forbidden($"A change made with the console's cookie needs the session's CSRF token in the {CsrfHeader} header.");
    }

    /// <summary>Why the request looks like another site's, or null. Browsers send these headers; other clients rarely forge them, and need not.</summary>
    public static string? CrossOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return "This request came from another site (Sec-Fetch-Site: " + site + ").";
        }
        var origin = request.Headers.Origin.ToString();
        // Compared by host and port, not scheme: behind a proxy that ends TLS the gateway sees http for an https page.
        if (origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return "This request came from another origin.";
        }
        return null;
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static IResult Forbidden(string message) =>
        Results.Json(new AdminError(new(message, "invalid_request_error", null, "csrf_failed")), AdminJson.Options, statusCode: StatusCodes.Status403Forbidden);
}
