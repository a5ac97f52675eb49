namespace Manifold.Contracts.Anthropic;

/// <summary>
/// Anthropic's error types and the HTTP status the Claude API answers each with, as Anthropic's errors page documents
/// them. The one table for reading an Anthropic error (the claude plugin, the Messages codec) and for writing one
/// (the host's Anthropic wire protocol), so that both directions agree.
/// </summary>
public static class AnthropicErrorTypes
{
    /// <summary>400, and any other 4xx Anthropic lists no type for.</summary>
    public const string InvalidRequest = "invalid_request_error";

    /// <summary>401.</summary>
    public const string Authentication = "authentication_error";

    /// <summary>402.</summary>
    public const string Billing = "billing_error";

    /// <summary>403.</summary>
    public const string Permission = "permission_error";

    /// <summary>404.</summary>
    public const string NotFound = "not_found_error";

    /// <summary>409.</summary>
    public const string Conflict = "conflict_error";

    /// <summary>413.</summary>
    public const string RequestTooLarge = "request_too_large";

    /// <summary>429.</summary>
    public const string RateLimit = "rate_limit_error";

    /// <summary>500, and any other 5xx Anthropic lists no type for.</summary>
    public const string Api = "api_error";

    /// <summary>504.</summary>
    public const string Timeout = "timeout_error";

    /// <summary>529: Anthropic's own status for an API overloaded across all its users.</summary>
    public const string Overloaded = "overloaded_error";

    /// <summary>
    /// The status Anthropic answers <paramref name="type"/> with. A type it does not document (a newer one, a compatible
    /// server's own, or none) is a failure Manifold cannot classify: 502, as for any upstream answer it cannot read.
    /// </summary>
    public static int StatusOf(string? type) => type switch
    {
        InvalidRequest => 400,
        Authentication => 401,
        Billing => 402,
        Permission => 403,
        NotFound => 404,
        Conflict => 409,
        RequestTooLarge => 413,
        RateLimit => 429,
        Api => 500,
        Timeout => 504,
        Overloaded => 529,
        _ => 502,
    };

    /// <summary>The type Anthropic answers <paramref name="status"/> with; other 4xx are invalid requests and other 5xx api errors, as Anthropic answers them.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => Authentication,
        402 => Billing,
        403 => Permission,
        404 => NotFound,
        409 => Conflict,
        413 => RequestTooLarge,
        429 => RateLimit,
        504 => Timeout,
        529 => Overloaded,
        >= 500 => Api,
        _ => InvalidRequest,
    };
}
