using Manifold.Host.Licences;
using Manifold.Host.Webhooks;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Metering;

/// <summary>
/// The seeds' <c>user_quota_too_low</c> webhook: after each batch, the writer asks here whether a licence it just charged
/// crossed <c>Manifold__Webhooks__QuotaThreshold</c> on one of its quotas (requests, tokens, cost). It fires on the
/// crossing, once: a licence already low stays quiet, and one raised back above the threshold (a PATCH) is re-armed.
/// </summary>
public sealed class QuotaAlerts(UsageLedger ledger, ILicenceStore licences, WebhookSender webhooks, IOptions<WebhookOptions> options)
{
    private static readonly QuotaKind[] Kinds = [QuotaKind.Requests, QuotaKind.Tokens, QuotaKind.Cost];

    /// <summary>What a batch added to one licence, so the first look after a start can tell "was low" from "just became low".</summary>
    public readonly record struct Added(long Requests, long Tokens, double Cost);

    public async Task CheckAsync(IReadOnlyDictionary<long, Added> charged, CancellationToken cancellationToken)
    {
        if (!webhooks.Enabled)
        {
            return;
        }
        var threshold = options.Value.QuotaThreshold;
        foreach (var (licenceId, added) in charged)
        {
            if (ledger.Find(licenceId) is not { } spend)
            {
                continue;
            }
            var licence = spend.Latest ??= await licences.GetAsync(licenceId, cancellationToken).ConfigureAwait(false);
            if (licence?.Policy.Quota is not { } quota)
            {
                spend.LowQuotas = 0;
                continue;
            }
            var low = LowMask(quota, spend.Requests, spend.Tokens, spend.Cost, threshold);
            var before = spend.LowQuotas >= 0
                ? spend.LowQuotas
                : LowMask(quota, spend.Requests - added.Requests, spend.Tokens - added.Tokens, spend.Cost - added.Cost, threshold);
            spend.LowQuotas = low;
            foreach (var kind in Kinds)
            {
                var bit = 1 << (int)kind;
                if ((low & bit) != 0 && (before & bit) == 0 && Measure(quota, kind, spend.Requests, spend.Tokens, spend.Cost) is { } measure)
                {
                    webhooks.Raise(new WebhookEvent("user_quota_too_low", new QuotaLowData(
                        Math.Max(0, measure.Limit - measure.Used), Name(kind), measure.Limit, measure.Used, threshold, licence.Id, licence.Name)));
                }
            }
        }
    }

    private static int LowMask(LicenceQuota quota, long requests, long tokens, double cost, double threshold)
    {
        var mask = 0;
        foreach (var kind in Kinds)
        {
            if (Measure(quota, kind, requests, tokens, cost) is { } measure && measure.Limit - measure.Used <= threshold * measure.Limit)
            {
                mask |= 1 << (int)kind;
            }
        }
        return mask;
    }

    /// <summary>The quota and what is used of it, for a measure the quota limits; null for one it does not.</summary>
    private static (double Limit, double Used)? Measure(LicenceQuota quota, QuotaKind kind, long requests, long tokens, double cost) => kind switch
    {
        QuotaKind.Requests when quota.Requests is { } limit => (limit, requests),
        QuotaKind.Tokens when quota.Tokens is { } limit => (limit, tokens),
        QuotaKind.Cost when quota.Cost is { } limit => ((double)limit, cost),
        _ => null,
    };

    private static string Name(QuotaKind kind) => kind switch
    {
        QuotaKind.Requests => "requests",
        QuotaKind.Tokens => "tokens",
        _ => "cost",
    };
}
