using System.Globalization;
using System.Text.Json;
using Manifold.Host.Accounts;
using Manifold.Host.Protocols;

namespace Manifold.Host.Endpoints;

public sealed partial class EndpointCall
{
    /// <summary>The body field that caps a request's retries on other accounts (taken out before the upstream sees it).</summary>
    public const string RetryAttemptField = "retry_attempt";

    /// <summary>The same cap as a header, for requests without a JSON body.</summary>
    public const string RetryAttemptHeader = "X-Retry-Attempt";

    /// <summary>
    /// What this request asks of the account pool: the groups its licence allows, narrowed by the ones the model named
    /// (<paramref name="requested"/>, from <c>model|[group]</c>; naming one the licence does not allow is a 403), its
    /// session, and its <c>retry_attempt</c>. Null when all is well, else the error to answer.
    /// </summary>
    private ErrorInfo? RouteAccounts(string[]? requested, out AccountRoute route)
    {
        route = default;
        var allowed = Licence?.Policy.Groups;
        if (requested is not null && allowed is not null)
        {
            foreach (var group in requested)
            {
                if (!allowed.Contains(group, StringComparer.Ordinal))
                {
                    return new ErrorInfo(StatusCodes.Status403Forbidden, "permission_error",
                        $"This licence may not use the account group '{group}'.", "model", "group_not_allowed");
                }
            }
        }
        if (RetryAttempt(out var retries) is { } invalid)
        {
            return invalid;
        }
        route = new AccountRoute(requested ?? allowed, requested is not null, SessionKeys.Of(_http.Request, _body), retries);
        return null;
    }

    /// <summary>The <c>X-Retry-Attempt</c> header, else the body's <c>retry_attempt</c> (removed from it); a bad value is a 400.</summary>
    private ErrorInfo? RetryAttempt(out int? retries)
    {
        retries = null;
        if (_http.Request.Headers.TryGetValue(RetryAttemptHeader, out var header))
        {
            if (!int.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return ErrorInfo.BadRequest($"The {RetryAttemptHeader} header must be a whole number of 0 or more (0: no retry on another account).", RetryAttemptHeader);
            }
            retries = parsed;
        }
        if (_body is not null && RequestBodyFields.Take(_body, RetryAttemptField) is { } field)
        {
            if (field.ValueKind != JsonValueKind.Number || !field.TryGetInt32(out var parsed) || parsed < 0)
            {
                return ErrorInfo.BadRequest($"'{RetryAttemptField}' must be a whole number of 0 or more (0: no retry on another account).", RetryAttemptField);
            }
            retries ??= parsed;
        }
        return null;
    }
}
