using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Metering;

/// <summary>
/// Where the request thread leaves its <see cref="UsageRecord"/>: a bounded channel that <see cref="UsageWriter"/> empties in
/// batches. Writing never waits: when the queue is full the record is dropped and counted (<see cref="Dropped"/>).
/// </summary>
public sealed class UsageQueue
{
    private readonly Channel<UsageRecord> _channel;
    private long _dropped;

    private readonly Metrics.GatewayMetrics? _metrics;

    public UsageQueue(IOptions<UsageOptions> options, UsageLedger ledger, TimeProvider time, Metrics.GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        Ledger = ledger;
        Time = time;
        _channel = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity))
        {
            // Wait (not a Drop mode) so that TryWrite says when it is full; it never waits itself.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public UsageLedger Ledger { get; }

    public TimeProvider Time { get; }

    /// <summary>Records dropped because the queue was full, since the start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Enqueue(in UsageRecord record)
    {
        if (!_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
        // The same figures feed /metrics (manifold_tokens_total): counted as the request ends, like the other metrics.
        if (_metrics is not null && record.Platform is { } platform && record.Model is { } model && (record.InputTokens > 0 || record.OutputTokens > 0))
        {
            _metrics.Tokens(platform, model, record.InputTokens, record.OutputTokens);
        }
    }

    internal ChannelReader<UsageRecord> Reader => _channel.Reader;
}
