using System.Diagnostics;
using Manifold.Host.Gateway;
using Manifold.Host.Metering;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Shutdown;

/// <summary>
/// Runs a stop in phases, one log line each. The first hosted service registered, so it is told of the stop first
/// (<see cref="IHostApplicationLifetime.ApplicationStopping"/>) and stopped last. On stopping it starts the drain clock
/// while Kestrel, the first service to stop, closes its listeners and waits for the requests in flight; when
/// <see cref="GatewayOptions.DrainTimeout"/> has passed, the streams still open are ended (<see cref="StreamDrain.End"/>)
/// so their connections close with an error event. The background services then stop in turn (the media poller hands its
/// leased jobs back, the webhook deliverer its claimed deliveries, the usage writer writes its queue), and last of all
/// this writes whatever usage they left behind.
/// </summary>
public sealed partial class ShutdownCoordinator(
    IHostApplicationLifetime lifetime, StreamDrain drain, IOptions<GatewayOptions> options, IServiceProvider services, ILogger<ShutdownCoordinator> logger)
    : IHostedService
{
    private readonly CancellationTokenSource _stopped = new();
    private CancellationTokenRegistration _stopping;
    private long _stoppingAt;
    private Task _draining = Task.CompletedTask;

    private UsageWriter? _usage;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved now: a stop may come after the container is disposed (a test host stopped twice).
        _usage = services.GetService<UsageWriter>();
        _stopping = lifetime.ApplicationStopping.Register(static state => ((ShutdownCoordinator)state!).OnStopping(), this);
        return Task.CompletedTask;
    }

    private void OnStopping()
    {
        _stoppingAt = Stopwatch.GetTimestamp();
        var timeout = options.Value.DrainTimeout;
        LogStopping(drain.Open, timeout);
        _draining = DrainAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, _stopped.Token);
    }

    /// <summary>Says when the last stream finished; ends those still open when the drain timeout passes.</summary>
    private async Task DrainAsync(TimeSpan timeout, CancellationToken stopped)
    {
        var deadline = _stoppingAt + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        try
        {
            // A tenth of a second is fine for a process on its way out, and needs nothing on the request path.
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (drain.Open == 0)
                {
                    SayDrained();
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), stopped).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            return;
        }
        // Still ended when none is open: a request in flight could open a stream after the drain.
        var open = drain.Open;
        if (open > 0)
        {
            LogDrainTimedOut(timeout, open);
        }
        drain.End();
    }

    /// <summary>Once: the last stream finished before the drain timeout (seen by the clock, or by Kestrel having stopped).</summary>
    private void SayDrained()
    {
        if (Interlocked.Exchange(ref _saidDrained, 1) == 0)
        {
            LogDrained(Stopwatch.GetElapsedTime(_stoppingAt).TotalSeconds);
        }
    }

    private int _saidDrained;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopped.CancelAsync().ConfigureAwait(false);
        await _draining.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // Kestrel stopped before this (it is stopped first): every request is over, so unless the drain ended them, they finished.
        if (_stoppingAt != 0 && !drain.HasEnded && drain.Open == 0)
        {
            SayDrained();
        }
        // Media jobs that finished while the poller stopped are metered after the usage writer's own last write.
        var written = 0;
        if (_usage is { } usage)
        {
            try
            {
                written = await usage.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // Stopped twice, after the container was disposed: nothing left to write with.
            }
        }
        LogStopped(_stoppingAt == 0 ? 0 : Stopwatch.GetElapsedTime(_stoppingAt).TotalSeconds, written);
        _stopping.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Shutdown: listeners closing, no new connections; {Streams} streams open get up to {DrainTimeout} to finish (Manifold__Gateway__DrainTimeout)")]
    private partial void LogStopping(int streams, TimeSpan drainTimeout);

    [LoggerMessage(2, LogLevel.Information, "Shutdown: every stream finished after {Seconds:0.0} s")]
    private partial void LogDrained(double seconds);

    [LoggerMessage(3, LogLevel.Warning, "Shutdown: drain timeout {DrainTimeout} passed; ending {Streams} open streams with an error event")]
    private partial void LogDrainTimedOut(TimeSpan drainTimeout, int streams);

    [LoggerMessage(4, LogLevel.Information, "Shutdown: complete after {Seconds:0.0} s ({Written} late usage records written)")]
    private partial void LogStopped(double seconds, int written);
}
