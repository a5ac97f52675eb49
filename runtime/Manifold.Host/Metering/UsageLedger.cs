using System.Collections.Concurrent;
using System.Globalization;
using Manifold.Host.Licences;

namespace Manifold.Host.Metering;

/// <summary>
/// Every licence's running totals, in memory, so that checking a quota or <c>limits.tpm</c> on a request reads no database:
/// loaded from the <c>usage</c> table at startup (<see cref="UsageStartup"/>) and advanced as requests are metered.
/// </summary>
/// <remarks>
/// Per node, like <c>limits.rpm</c>: a node counts what was in the database when it started plus what it served since.
/// With several nodes, a quota can be overrun by what the others served since this one started.
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
