using System.Globalization;

namespace Manifold.Contracts;

/// <summary>
/// A request field that failed validation. <see cref="Param"/> is a JSON path such as
/// <c>messages[0].role</c>; it is built on the way out of the recursion, so a valid request allocates nothing.
/// </summary>
public sealed record ValidationError(string Param, string MessageFormat)
{
    private const string MissingFormat = "Missing required parameter: '{0}'.";
    private const string NullItemFormat = "Invalid value for '{0}': list items must not be null.";

    /// <summary>The message for clients, with the param filled in.</summary>
    public string Message => string.Format(CultureInfo.InvariantCulture, MessageFormat, Param);

    public static ValidationError Missing(string member) => new(member, MissingFormat);

    /// <summary>
    /// A number outside the spec's bounds (either may be null, unbounded on that side). The bounds are literal text in the
    /// format, never a placeholder: the message is formatted with the param alone.
    /// </summary>
    public static ValidationError OutOfRange(string member, string? minimum, string? maximum) =>
        new(member, "Invalid value for '{0}': " + (minimum, maximum) switch
        {
            (not null, not null) => $"expected a number from {minimum} to {maximum}.",
            (not null, null) => $"expected a number of at least {minimum}.",
            _ => $"expected a number of at most {maximum}.",
        });

    public static ValidationError NullItem(string member, int index) => new(member + "[" + index.ToString(CultureInfo.InvariantCulture) + "]", NullItemFormat);

    /// <summary>Prefixes the path with the member that holds the failing object.</summary>
    public ValidationError Within(string member) =>
        this with { Param = Param.StartsWith('[') ? member + Param : member + "." + Param };

    /// <summary>Prefixes the path with the list index that holds the failing object.</summary>
    public ValidationError AtIndex(int index) =>
        this with { Param = "[" + index.ToString(CultureInfo.InvariantCulture) + "]" + (Param.StartsWith('[') ? Param : "." + Param) };
}
