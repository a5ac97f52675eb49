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

    public UsageQueue(IOptions<UsageOptions> options, UsageLedger ledger, TimeProvider time)
    {
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
    }

    internal ChannelReader<UsageRecord> Reader => _channel.Reader;
}
