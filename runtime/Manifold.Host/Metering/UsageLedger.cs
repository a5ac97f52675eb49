using System.Collections.Concurrent;
using System.Globalization;
using Manifold.Host.Licences;

namespace Manifold.Host.Metering;

/// <summary>
/// Every licence's running totals, in memory, so that checking a quota or <c>limits.tpm</c> on a request reads no database:
/// loaded from the <c>usage</c> table at startup (<see cref="UsageStartup"/>) and advanced as requests are metered.
/// </summary>
/// <remarks>
/// A node counts what was in the database when it started plus what it served since, and, with several nodes, what the
/// others wrote since: every <c>Manifold__Usage__SharedTotalsInterval</c> (5 s on PostgreSQL) <see cref="UsageWriter"/> reads
/// the shared totals of the licences that have a quota and <see cref="Share"/> adds what is not this node's own. A quota can
/// so be overrun by what the other nodes serve in about one interval plus one flush (docs/operations.md).
/// </remarks>
public sealed class UsageLedger(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, LicenceSpend> _spend = new();

    public IEnumerable<LicenceSpend> All => _spend.Values;

    public LicenceSpend? Find(long licenceId) => _spend.GetValueOrDefault(licenceId);

    internal LicenceSpend For(long licenceId) => _spend.GetOrAdd(licenceId, static id => new LicenceSpend(id));

    /// <summary>
    /// A request of <paramref name="licence"/> used <paramref name="tokens"/>; <paramref name="request"/> when it counts
    /// against a quota of requests (it reached a model and did not fail).
    /// </summary>
    public void Charge(Licence licence, bool request, long tokens)
    {
        var spend = For(licence.Id);
        spend.Latest = licence;
        spend.Add(request ? 1 : 0, tokens);
        if (licence.Policy.Limits?.Tpm is not null && tokens > 0)
        {
            Window(spend).Add(Second, tokens);
        }
    }

    /// <summary>A media job of <paramref name="licenceId"/> used <paramref name="tokens"/> (the request that made it was charged already).</summary>
    public void Charge(long licenceId, long tokens)
    {
        var spend = For(licenceId);
        spend.Add(0, tokens);
        if (spend.Latest?.Policy.Limits?.Tpm is not null && tokens > 0)
        {
            Window(spend).Add(Second, tokens);
        }
    }

    /// <summary>Whether <paramref name="licence"/> may make another request; a licence without a quota or tpm pays two property reads.</summary>
    public UsageVerdict Check(Licence licence)
    {
        var quota = licence.Policy.Quota;
        var tpm = licence.Policy.Limits?.Tpm;
        if (quota is null && tpm is null)
        {
            return default;
        }
        var spend = Find(licence.Id);
        if (quota is not null)
        {
            var requests = spend?.Requests ?? 0;
            var tokens = spend?.Tokens ?? 0;
            var cost = spend?.Cost ?? 0;
            if (quota.Requests is { } maxRequests && requests >= maxRequests)
            {
                return Spent($"{maxRequests} requests", $"{requests} made");
            }
            if (quota.Tokens is { } maxTokens && tokens >= maxTokens)
            {
                return Spent($"{maxTokens} tokens", $"{tokens} used");
            }
            if (quota.Cost is { } maxCost && (decimal)cost >= maxCost)
            {
                return Spent($"{maxCost.ToString(CultureInfo.InvariantCulture)} in cost", $"{cost.ToString("0.######", CultureInfo.InvariantCulture)} used");
            }
        }
        if (tpm is { } limit && spend?.Window is { } window && window.Over(Second, limit) is { } wait)
        {
            return new UsageVerdict(UsageRefusal.Tpm,
                $"This licence's limit of {limit} tokens per minute is reached; try again in {wait.TotalSeconds:0} s.", wait);
        }
        return default;

        static UsageVerdict Spent(string quota, string used) => new(UsageRefusal.Quota,
            $"This licence's quota of {quota} is spent ({used}). Ask the operator to raise it.");
    }

    /// <summary>The totals of one licence as the database holds them, at startup; requests and tokens metered since are kept.</summary>
    internal void Load(long licenceId, long requests, long tokens, double cost)
    {
        var spend = For(licenceId);
        spend.Add(requests, tokens);
        spend.AddCost(cost);
        Written(licenceId, requests, tokens, cost);
    }

    /// <summary>This node's own spend, as it stands in the database: what was there at startup plus every batch this node wrote.</summary>
    private readonly ConcurrentDictionary<long, Totals> _mine = new();

    /// <summary>What other nodes had written at the last <see cref="Share"/>, already added to the spend.</summary>
    private readonly ConcurrentDictionary<long, Totals> _others = new();

    /// <summary>The licences whose quotas need other nodes' spend: those seen with a quota.</summary>
    internal IReadOnlyList<long> WithQuota => [.. _spend.Values.Where(static s => s.Latest?.Policy.Quota is not null).Select(static s => s.LicenceId)];

    /// <summary>This node wrote a batch that charged <paramref name="licenceId"/> so much (the writer's thread only).</summary>
    internal void Written(long licenceId, long requests, long tokens, double cost) =>
        _mine[licenceId] = _mine.GetValueOrDefault(licenceId) + new Totals(requests, tokens, cost);

    /// <summary>
    /// The database's totals for some licences, read by the writer between two of its batches (so every batch of this node is
    /// either in both the totals and <see cref="Written"/> or in neither): what is not this node's is the others', and the
    /// change since the last read is added to the spend.
    /// </summary>
    internal void Share(IEnumerable<(long LicenceId, long Requests, long Tokens, double Cost)> shared)
    {
        foreach (var (licenceId, requests, tokens, cost) in shared)
        {
            var others = new Totals(requests, tokens, cost) - _mine.GetValueOrDefault(licenceId);
            var change = others - _others.GetValueOrDefault(licenceId);
            _others[licenceId] = others;
            var spend = For(licenceId);
            spend.Add(change.Requests, change.Tokens);
            spend.AddCost(change.Cost);
        }
    }

    private readonly record struct Totals(long Requests, long Tokens, double Cost)
    {
        public static Totals operator +(Totals a, Totals b) => new(a.Requests + b.Requests, a.Tokens + b.Tokens, a.Cost + b.Cost);

        public static Totals operator -(Totals a, Totals b) => new(a.Requests - b.Requests, a.Tokens - b.Tokens, a.Cost - b.Cost);
    }

    private static TokenWindow Window(LicenceSpend spend)
    {
        if (spend.Window is { } window)
        {
            return window;
        }
        lock (spend)
        {
            return spend.Window ??= new TokenWindow();
        }
    }

    private long Second => time.GetTimestamp() / time.TimestampFrequency;
}
