namespace Manifold.Contracts.OpenAI.Responses;

/// <summary>
/// The codes a Responses answer reports a failure with inside a 200 (a failed response's <c>error.code</c>, an
/// <c>error</c> stream event's <c>code</c>). They name the fault rather than an HTTP status; the ones OpenAI documents are
/// faults of the request, except the server, rate-limit and timeout ones.
/// </summary>
public static class ResponsesFailureCodes
{
    public const string Server = "server_error";

    public const string RateLimitExceeded = "rate_limit_exceeded";

    public const string VectorStoreTimeout = "vector_store_timeout";

    /// <summary>The HTTP status the failure stands for; a failure without a code is the upstream's (502).</summary>
    public static int StatusOf(string? code) => code switch
    {
        Server => 500,
        RateLimitExceeded => 429,
        VectorStoreTimeout => 504,
        null or "" => 502,
        _ => 400,
    };
}
