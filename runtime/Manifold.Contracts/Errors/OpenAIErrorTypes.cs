namespace Manifold.Contracts.OpenAI;

/// <summary>
/// The error types of OpenAI's <c>{"error":{"message","type","param","code"}}</c> bodies and the HTTP status each stands
/// for. Manifold's errors carry an OpenAI-style type whatever the platform (see <see cref="ManifoldException.Type"/>), so
/// every plugin that reads another vendor's error, and every stream error that arrives without a status, uses this table.
/// </summary>
public static class OpenAIErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";

    public const string Authentication = "authentication_error";

    public const string Permission = "permission_error";

    public const string NotFound = "not_found_error";

    public const string RateLimit = "rate_limit_error";

    /// <summary>A 429 that waiting does not cure: the account's credit or monthly spend is used up.</summary>
    public const string InsufficientQuota = "insufficient_quota";

    /// <summary>What OpenAI's own 5xx answers carry, overloaded (503) included.</summary>
    public const string Server = "server_error";

    /// <summary>
    /// The status an error of <paramref name="type"/> stands for, when it came without one (an error event inside a 200
    /// stream). A type outside the table is a failure Manifold cannot classify: 502.
    /// </summary>
    public static int StatusOf(string? type) => type switch
    {
        InvalidRequest => 400,
        Authentication => 401,
        Permission => 403,
        NotFound => 404,
        RateLimit or InsufficientQuota => 429,
        Server => 500,
        _ => 502,
    };

    /// <summary>The type for an upstream's <paramref name="status"/>: other 4xx are invalid requests and every 5xx a server error, as OpenAI answers them.</summary>
    public static string ForStatus(int status) => status switch
    {
        401 => Authentication,
        403 => Permission,
        404 => NotFound,
        429 => RateLimit,
        >= 500 => Server,
        _ => InvalidRequest,
    };
}
