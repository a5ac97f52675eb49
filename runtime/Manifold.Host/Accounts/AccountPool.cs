using Manifold.Host.Protocols;

namespace Manifold.Host.Accounts;

/// <summary>
/// One platform's accounts at one moment: an immutable snapshot, swapped whole when an operator changes an account
/// (requests in flight keep the account they took). Chooses the account for each attempt:
/// <list type="number">
/// <item>by priority, lowest number first, moving to the next only when no account of this one is usable;</item>
/// <item>among the usable accounts of that priority, in turn in proportion to their weights (weighted round robin), or, for
/// a request of a sticky session, by weighted rendezvous hashing, so the session stays on one account for as long as it is
/// usable and only the sessions of an account that drops out move;</item>
/// <item>when none is usable anywhere, the accounts resting after a passing failure (a 5xx, a timeout; not a 429 whose wait
/// the upstream named) are still tried, chosen the same way, rather than refusing without asking; if there are none of those
/// either, the request is refused: 429 with Retry-After when the accounts are at their <c>max_concurrency</c> or rate-limited
/// by the upstream, else 503.</item>
/// </list>
/// </summary>
/// <remarks>
/// Allocation-free and lock-free: a few passes over an array, one interlocked increment for the turn and one to take the
/// account. A race lost on the latter (another request took the last slot) only moves the choice to the next candidate.
/// </remarks>
public sealed class AccountPool
{
    // Above this many accounts in one priority, the marks of accounts lost to a race come from the heap.
    private const int StackMarks = 256;

    private readonly PoolAccount[] _accounts;
    private readonly int[] _tiers;
    private int _turn = -1;
    private Manifold.Contracts.Upstream.CredentialScrubber? _scrubber;

    /// <param name="accounts">In the order operators listed them; sorted by priority here (stable, so ties keep that order).</param>
    public AccountPool(string platform, IEnumerable<PoolAccount> accounts, HealthPolicy policy)
    {
        Platform = platform;
        Policy = policy;
        _accounts = accounts.OrderBy(static a => a.Settings.Priority).ToArray();
        var tiers = new List<int>();
        for (var i = 0; i < _accounts.Length; i++)
        {
            if (i == 0 || _accounts[i].Settings.Priority != _accounts[i - 1].Settings.Priority)
            {
                tiers.Add(i);
            }
        }
        tiers.Add(_accounts.Length);
        _tiers = [.. tiers];
    }

    public string Platform { get; }

    public HealthPolicy Policy { get; }

    /// <summary>Every account, enabled or not, by priority.</summary>
    public IReadOnlyList<PoolAccount> Accounts => _accounts;

    public int Count => _accounts.Length;

    /// <summary>
    /// Masks every key of this snapshot's accounts (enabled or not) in what the platform's upstream says: built on first use,
    /// once per snapshot, since a changed account makes a new snapshot.
    /// </summary>
    public Manifold.Contracts.Upstream.CredentialScrubber Scrubber =>
        _scrubber ??= new Manifold.Contracts.Upstream.CredentialScrubber(_accounts.Select(static a => a.Upstream?.Key));

    /// <summary>The account with the stable id <paramref name="id"/>, whatever its state; null when there is none.</summary>
    public PoolAccount? Find(string id)
    {
        foreach (var account in _accounts)
        {
            if (account.Id == id)
            {
                return account;
            }
        }
        return null;
    }

    /// <summary>
    /// Takes the account for an attempt of a request routed by <paramref name="route"/>, leaving out the accounts in
    /// <paramref name="tried"/> (its earlier attempts). A platform without accounts gives <see cref="AccountLease.None"/>.
    /// </summary>
    public AccountLease Acquire(in AccountRoute route, ReadOnlySpan<AccountHealth?> tried = default)
    {
        if (_accounts.Length == 0)
        {
            return AccountLease.None;
        }
        var now = Policy.Now;
        Span<bool> lost = _accounts.Length <= StackMarks ? stackalloc bool[_accounts.Length] : new bool[_accounts.Length];
        // Usable accounts first, by priority; then, when there are none, the ones resting after a passing failure, in the same order.
        foreach (var resting in (ReadOnlySpan<bool>)[false, true])
        {
            for (var tier = 0; tier + 1 < _tiers.Length; tier++)
            {
                while (Pick(_tiers[tier], _tiers[tier + 1], route, tried, lost, now, resting) is var chosen && chosen >= 0)
                {
                    var account = _accounts[chosen];
                    if (TryTake(account, now, out var trial))
                    {
                        return new AccountLease(this, account, trial);
                    }
                    lost[chosen] = true;
                }
            }
        }
        return AccountLease.Refuse(Refusal(route, now));
    }

    /// <summary>
    /// The account of <c>[start, end)</c> to try: by weighted turns, or the session's rendezvous winner; -1 when there is none.
    /// Among usable accounts, or with <paramref name="resting"/> among those resting after a passing failure.
    /// </summary>
    private int Pick(int start, int end, in AccountRoute route, ReadOnlySpan<AccountHealth?> tried, ReadOnlySpan<bool> lost, long now, bool resting)
    {
        long total = 0;
        var best = -1;
        var bestScore = double.MinValue;
        for (var i = start; i < end; i++)
        {
            if (!IsCandidate(i, route, tried, lost, now, resting))
            {
                continue;
            }
            var weight = _accounts[i].Settings.Weight;
            if (!route.HasSession)
            {
                best = i;
            }
            else if (RendezvousScore(route.Session, _accounts[i].RendezvousSeed, weight) is var score && score > bestScore)
            {
                (best, bestScore) = (i, score);
            }
            total += weight;
        }
        if (route.HasSession || total == 0)
        {
            return best;
        }
        // Weighted round robin: each pick takes the next turn and walks the cumulative weights to it, so consecutive requests
        // go round the accounts (weights 3 and 1: three to the first, then one to the second) with no lock.
        var ticket = (long)((uint)Interlocked.Increment(ref _turn) % (ulong)total);
        for (var i = start; i < end; i++)
        {
            if (IsCandidate(i, route, tried, lost, now, resting) && (ticket -= _accounts[i].Settings.Weight) < 0)
            {
                return i;
            }
        }
        // An account changed state between the passes (its rest ended): take the last one that was counted.
        return best;
    }

    /// <summary>
    /// Weighted rendezvous hashing: each account scores -weight / ln(u) for a uniform u drawn from the session and the account;
    /// the highest wins. Shares follow the weights, and removing an account moves only the sessions it had won.
    /// </summary>
    private static double RendezvousScore(ulong session, ulong seed, int weight)
    {
        var hash = StableHash.Mix(session ^ seed);
        var uniform = ((hash >> 11) + 0.5) * (1.0 / (1UL << 53));
        return -weight / Math.Log(uniform);
    }

    private static bool TryTake(PoolAccount account, long now, out bool trial)
    {
        trial = account.Health.StateAt(now, null) == AccountState.HalfOpen;
        if (trial && !account.Health.TryStartProbe())
        {
            return false;
        }
        if (account.Health.TryEnter(account.Settings.MaxConcurrency))
        {
            return true;
        }
        if (trial)
        {
            account.Health.AbandonProbe();
        }
        return false;
    }

    private bool IsCandidate(int index, in AccountRoute route, ReadOnlySpan<AccountHealth?> tried, ReadOnlySpan<bool> lost, long now, bool resting)
    {
        var account = _accounts[index];
        if (lost[index] || !route.Allows(account.Settings.Group)
            || (resting ? account.StateAt(now) != AccountState.CoolingDown : account.StateAt(now) is not (AccountState.Healthy or AccountState.HalfOpen)))
        {
            return false;
        }
        foreach (var earlier in tried)
        {
            if (ReferenceEquals(earlier, account.Health))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Why no account could be taken, in the caller's terms, with when to come back.</summary>
    private ErrorInfo Refusal(in AccountRoute route, long now)
    {
        var inGroups = 0;
        var busy = false;
        var unreadable = false;
        long rateLimitedUntil = long.MaxValue, probeAt = long.MaxValue;
        foreach (var account in _accounts)
        {
            if (!route.Allows(account.Settings.Group))
            {
                continue;
            }
            inGroups++;
            switch (account.StateAt(now))
            {
                case AccountState.RateLimited:
                    rateLimitedUntil = Math.Min(rateLimitedUntil, account.Health.CoolUntil);
                    break;
                case AccountState.CircuitOpen:
                    probeAt = Math.Min(probeAt, account.Health.ProbeAt);
                    break;
                case AccountState.Probing:
                    // Its trial is in flight; the verdict is a moment away.
                    probeAt = Math.Min(probeAt, now);
                    break;
                case AccountState.Busy or AccountState.Healthy or AccountState.HalfOpen or AccountState.CoolingDown:
                    // At its concurrency limit, or it was when this request tried to take it.
                    busy = true;
                    break;
                case AccountState.KeyUnreadable:
                    unreadable = true;
                    break;
            }
        }
        var groups = route.Groups is { } named ? string.Join(", ", named) : null;
        if (inGroups == 0)
        {
            return route.GroupsFromRequest
                ? new ErrorInfo(StatusCodes.Status400BadRequest, "invalid_request_error",
                    $"The model names the account group(s) {groups}, and platform '{Platform}' has no account in them.", "model", "no_account_in_group")
                : new ErrorInfo(StatusCodes.Status403Forbidden, "permission_error",
                    $"This licence may use only the account group(s) {groups}, and platform '{Platform}' has no account in them.", Code: "group_not_allowed");
        }
        if (busy || rateLimitedUntil != long.MaxValue)
        {
            var wait = AtLeastASecond(busy ? TimeSpan.Zero : Policy.Until(rateLimitedUntil));
            var why = busy && rateLimitedUntil != long.MaxValue ? "at its concurrency limit or rate-limited by the upstream"
                : busy ? "at its concurrency limit" : "rate-limited by the upstream";
            return new ErrorInfo(StatusCodes.Status429TooManyRequests, "requests",
                $"Every usable account of platform '{Platform}'{InGroups(groups)} is {why}; try again in {wait.TotalSeconds:0} s.",
                Code: "rate_limit_exceeded", RetryAfter: wait);
        }
        if (probeAt != long.MaxValue)
        {
            var wait = AtLeastASecond(Policy.Until(probeAt));
            return new ErrorInfo(StatusCodes.Status503ServiceUnavailable, "server_error",
                $"Every account of platform '{Platform}'{InGroups(groups)} is disabled after authentication failures; the next is tried again in {wait.TotalSeconds:0} s.",
                Code: "no_available_account", RetryAfter: wait);
        }
        return new ErrorInfo(StatusCodes.Status503ServiceUnavailable, "server_error",
            unreadable
                ? $"Platform '{Platform}' has no enabled account{InGroups(groups)} whose key this node can decrypt; see its log."
                : $"Platform '{Platform}' has no enabled account{InGroups(groups)}.",
            Code: "no_available_account");
    }

    private static string InGroups(string? groups) => groups is null ? "" : $" in the group(s) {groups}";

    /// <summary>Whole seconds, rounded up, at least one: what a Retry-After header can say.</summary>
    private static TimeSpan AtLeastASecond(TimeSpan wait) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
}
