using Manifold.Host.Licences;

namespace Manifold.Host.Metering;

/// <summary>
/// What one licence has spent, on this node's count: everything in the database when the node started, plus what it has
/// metered since. Requests and tokens move on the request thread (<see cref="UsageLedger.Charge"/>); cost moves when the
/// writer prices a batch, since prices are applied there.
/// </summary>
public sealed class LicenceSpend(long licenceId)
{
    private long _requests;
    private long _tokens;
    private double _cost;

    public long LicenceId { get; } = licenceId;

    /// <summary>Requests that succeeded: a failed one does not use up a quota of requests.</summary>
    public long Requests => Volatile.Read(ref _requests);

    public long Tokens => Volatile.Read(ref _tokens);

    public double Cost => Volatile.Read(ref _cost);

    /// <summary>The licence as last seen on a request: its name and policy, for the quota webhook.</summary>
    internal Licence? Latest { get; set; }

    /// <summary>The last minute's tokens, made when the licence first has a <c>limits.tpm</c>.</summary>
    internal TokenWindow? Window { get; set; }

    /// <summary>Which quotas were found low at the last look (bit per <see cref="QuotaKind"/>), so the webhook fires on the crossing only.</summary>
    internal int LowQuotas { get; set; } = -1;

    internal void Add(long requests, long tokens)
    {
        if (requests != 0)
        {
            Interlocked.Add(ref _requests, requests);
        }
        if (tokens != 0)
        {
            Interlocked.Add(ref _tokens, tokens);
        }
    }

    internal void AddCost(double cost)
    {
        if (cost == 0)
        {
            return;
        }
        double seen, next;
        do
        {
            seen = Volatile.Read(ref _cost);
            next = seen + cost;
        }
        while (Interlocked.CompareExchange(ref _cost, next, seen) != seen);
    }
}

/// <summary>The three measures of a <see cref="LicenceQuota"/>.</summary>
public enum QuotaKind
{
    Requests,
    Tokens,
    Cost,
}
