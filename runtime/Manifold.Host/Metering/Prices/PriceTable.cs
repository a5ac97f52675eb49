using System.Collections.Frozen;

namespace Manifold.Host.Metering.Prices;

/// <summary>
/// The operator's prices in memory, as the writer applies them to each batch: an exact name wins, else the longest
/// <c>prefix*</c> that matches, else the model is free. Replaced whole when the operator saves the table; a batch uses one
/// snapshot throughout. Prices apply from the moment they are saved: recorded costs are not recomputed.
/// </summary>
public sealed class PriceTable
{
    private volatile Snapshot _current = Snapshot.Empty;

    public IReadOnlyList<ModelPrice> All => _current.All;

    public void Replace(IReadOnlyList<ModelPrice> prices) => _current = new Snapshot(prices);

    /// <summary>The price of <paramref name="model"/>, or null when it has none.</summary>
    public ModelPrice? Find(string? model) => model is null ? null : _current.Find(model);

    public double CostOf(in UsageRecord record) => Find(record.Model)?.CostOf(record) ?? 0;

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([]);

        private readonly FrozenDictionary<string, ModelPrice> _exact;
        private readonly ModelPrice[] _prefixes;

        public Snapshot(IReadOnlyList<ModelPrice> prices)
        {
            All = [.. prices.OrderBy(static p => p.Model, StringComparer.Ordinal)];
            _exact = prices.Where(static p => !p.IsPrefix).ToFrozenDictionary(static p => p.Model, StringComparer.Ordinal);
            // Longest first: gpt-4o-mini* is more specific than gpt-4o*.
            _prefixes = [.. prices.Where(static p => p.IsPrefix).OrderByDescending(static p => p.Model.Length)];
        }

        public IReadOnlyList<ModelPrice> All { get; }

        public ModelPrice? Find(string model)
        {
            if (_exact.TryGetValue(model, out var exact))
            {
                return exact;
            }
            foreach (var prefix in _prefixes)
            {
                if (model.StartsWith(prefix.Model.AsSpan(0, prefix.Model.Length - 1), StringComparison.Ordinal))
                {
                    return prefix;
                }
            }
            return null;
        }
    }
}
