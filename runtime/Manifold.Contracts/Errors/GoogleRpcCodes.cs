namespace Manifold.Contracts.Gemini;

/// <summary>
/// Google's canonical error codes (<c>google.rpc.Code</c>): the <c>status</c> name of a Gemini API error, the numeric
/// <c>code</c> of a long-running operation's error, and the name Google's HTTP mapping gives each HTTP status.
/// </summary>
public static class GoogleRpcCodes
{
    /// <summary>Every code's name, indexed by its number (<c>OK</c> is 0, <c>UNAUTHENTICATED</c> 16).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED",
    ];

    private static readonly HashSet<string> s_errorNames = new(Names.Skip(1), StringComparer.Ordinal);

    /// <summary>The name of code <paramref name="number"/>; <c>UNKNOWN</c> for a number Google does not define.</summary>
    public static string NameOf(int number) => number >= 0 && number < Names.Count ? Names[number] : "UNKNOWN";

    /// <summary>Whether <paramref name="name"/> is the name of an error code (any but <c>OK</c>), spelled as Google spells it.</summary>
    public static bool IsErrorName(string? name) => name is not null && s_errorNames.Contains(name);

    /// <summary>
    /// The code Google's HTTP mapping gives <paramref name="status"/>. 502 has no code of its own: an unreachable or failing
    /// upstream is UNAVAILABLE, what Google reports for its own backends being down.
    /// </summary>
    public static string ForStatus(int status) => status switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        408 or 504 => "DEADLINE_EXCEEDED",
        409 => "ABORTED",
        412 => "FAILED_PRECONDITION",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        502 or 503 => "UNAVAILABLE",
        >= 400 and < 500 => "INVALID_ARGUMENT",
        _ => "INTERNAL",
    };
}
