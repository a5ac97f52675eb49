namespace Manifold.Host.Accounts;

/// <summary>
/// What one request asks of the account pool: the account groups it may use (its licence's, narrowed by the request's own
/// <c>model|[group]</c>), the session it belongs to (sticky routing), and how many times it may be retried on another account.
/// The default is no restriction, no session and the configured retries: what background work uses.
/// </summary>
public readonly struct AccountRoute
{
    /// <param name="groups">The groups it may use; null for every group.</param>
    /// <param name="groupsFromRequest">Whether the request named them itself (a group without accounts is then its 400, not its licence's 403).</param>
    /// <param name="session">The session key's hash (<see cref="SessionKeys"/>), or null for none.</param>
    /// <param name="maxRetries">The request's <c>retry_attempt</c>: how many other accounts it may try after the first; null for the configured number.</param>
    public AccountRoute(IReadOnlyList<string>? groups, bool groupsFromRequest, ulong? session, int? maxRetries)
    {
        Groups = groups;
        GroupsFromRequest = groupsFromRequest;
        HasSession = session.HasValue;
        Session = session.GetValueOrDefault();
        MaxRetries = maxRetries;
    }

    public IReadOnlyList<string>? Groups { get; }

    public bool GroupsFromRequest { get; }

    public bool HasSession { get; }

    public ulong Session { get; }

    public int? MaxRetries { get; }

    /// <summary>Whether an account in <paramref name="group"/> may serve this request.</summary>
    public bool Allows(string group)
    {
        if (Groups is not { } groups)
        {
            return true;
        }
        for (var i = 0; i < groups.Count; i++)
        {
            if (string.Equals(groups[i], group, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
