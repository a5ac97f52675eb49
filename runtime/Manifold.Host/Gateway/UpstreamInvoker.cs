using System.Diagnostics;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Conversion.Pipeline;
using Manifold.Host.Accounts;
using Manifold.Host.Endpoints;
using Manifold.Host.Metrics;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;

namespace Manifold.Host.Gateway;

/// <summary>
/// Calls a platform's adapter the way every caller must, with no <see cref="HttpContext"/>: takes an account from the
/// platform's pool (or uses the one a job is pinned to), retries a retryable upstream failure on another account, tells
/// the account's health what happened, and turns every failure into one <see cref="ErrorInfo"/>. Requests (through
/// <see cref="EndpointCall"/>) and background work (polling a media job, downloading its result) share it, so both fail
/// over and report errors alike.
/// </summary>
public sealed class UpstreamInvoker(GatewayOptions options, GatewayLog log, GatewayMetrics? metrics = null)
{
    private readonly GatewayMetrics _metrics = metrics ?? GatewayMetrics.Detached;

    /// <summary>
    /// Calls <paramref name="invoke"/> until it succeeds, fails in a way another account cannot fix, or the attempts are spent.
    /// With <paramref name="pinned"/>, only that account is used (a job's polls and downloads belong to the account that made it).
    /// <paramref name="route"/> is what the request asks of the pool (groups, session, <c>retry_attempt</c>).
    /// </summary>
    public async Task<Invocation<TResult>> InvokeAsync<TAdapter, TResult>(
        PlatformEntry entry, TAdapter adapter, Func<TAdapter, AdapterContext, CancellationToken, Task<TResult>> invoke,
        string requestId, string operation, CancellationToken cancellationToken, UpstreamAccount? pinned = null, AccountRoute route = default)
    {
        var maxAttempts = pinned is null ? MaxAttempts(entry, route) : 1;
        AccountHealth?[]? tried = null;
        Exception? failure = null;
        AdapterContext? failed = null;
        for (var attempt = 1; ; attempt++)
        {
            var lease = pinned is null ? entry.Accounts.Acquire(route, tried) : AccountLease.None;
            if (lease.Refusal is { } refusal)
            {
                // After a failed attempt, that failure says more than "no other account is free".
                return failure is null
                    ? new Invocation<TResult>(default, refusal, new AdapterContext(entry.Name, null, requestId))
                    : new Invocation<TResult>(default, ToError(failure, entry, failed!, operation), failed!);
            }
            var context = new AdapterContext(entry.Name, pinned ?? lease.Upstream, requestId);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var value = await invoke(adapter, context, cancellationToken).ConfigureAwait(false);
                lease.Succeeded();
                return new Invocation<TResult>(value, null, context);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                lease.Failed(ex);
                if (!ShouldRetry(ex, entry, context, attempt, maxAttempts))
                {
                    return new Invocation<TResult>(default, ToError(ex, entry, context, operation), context);
                }
                Remember(ref tried, maxAttempts, attempt, lease);
                (failure, failed) = (ex, context);
            }
            catch (Exception ex)
            {
                lease.Abandoned();
                log.ClientDisconnected(entry.Name, operation, ex.GetType().Name);
                return new Invocation<TResult>(default, Cancelled, context);
            }
            finally
            {
                lease.Release();
                // Every attempt, answered or failed; not one the caller abandoned, whose length says nothing of the upstream.
                if (!cancellationToken.IsCancellationRequested)
                {
                    _metrics.UpstreamCompleted(entry.Name, started);
                }
            }
        }
    }

    /// <summary>
    /// Opens a stream and waits for its first event, retrying as <see cref="InvokeAsync"/> does: until the first event, a
    /// failed stream can still go to another account. The caller owns the returned stream: it disposes its events and
    /// releases its account (<see cref="OpenedStream{TEvent}.Lease"/>) after the last byte, so <c>max_concurrency</c>
    /// counts the stream for as long as it runs.
    /// </summary>
    public async Task<Invocation<OpenedStream<TEvent>>> OpenStreamAsync<TAdapter, TEvent>(
        PlatformEntry entry, TAdapter adapter, Func<TAdapter, AdapterContext, CancellationToken, IAsyncEnumerable<TEvent>> open,
        string requestId, string operation, CancellationToken cancellationToken, AccountRoute route = default)
    {
        var maxAttempts = MaxAttempts(entry, route);
        AccountHealth?[]? tried = null;
        Exception? failure = null;
        AdapterContext? failed = null;
        for (var attempt = 1; ; attempt++)
        {
            var lease = entry.Accounts.Acquire(route, tried);
            if (lease.Refusal is { } refusal)
            {
                return failure is null
                    ? new Invocation<OpenedStream<TEvent>>(default, refusal, new AdapterContext(entry.Name, null, requestId))
                    : new Invocation<OpenedStream<TEvent>>(default, ToError(failure, entry, failed!, operation), failed!);
            }
            var context = new AdapterContext(entry.Name, lease.Upstream, requestId);
            IAsyncEnumerator<TEvent>? events = null;
            var started = Stopwatch.GetTimestamp();
            try
            {
                events = open(adapter, context, cancellationToken).GetAsyncEnumerator(cancellationToken);
                var hasEvent = await events.MoveNextAsync().ConfigureAwait(false);
                _metrics.UpstreamFirstEvent(entry.Name, started);
                lease.Succeeded();
                // The attempt's whole duration is recorded when the stream ends (GatewayMetrics.StreamOpened).
                return new Invocation<OpenedStream<TEvent>>(new OpenedStream<TEvent>(events, hasEvent, lease) { Started = started }, null, context);
            }
            catch (Exception ex)
            {
                lease.Release();
                await DisposeQuietlyAsync(events).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    lease.Abandoned();
                    log.ClientDisconnected(entry.Name, operation, ex.GetType().Name);
                    return new Invocation<OpenedStream<TEvent>>(default, Cancelled, context);
                }
                _metrics.UpstreamCompleted(entry.Name, started);
                lease.Failed(ex);
                if (!ShouldRetry(ex, entry, context, attempt, maxAttempts))
                {
                    return new Invocation<OpenedStream<TEvent>>(default, ToError(ex, entry, context, operation), context);
                }
                Remember(ref tried, maxAttempts, attempt, lease);
                (failure, failed) = (ex, context);
            }
        }
    }

    /// <summary>
    /// The one mapping from a failure to what the caller is told. The upstream's request id (from the exception, or from
    /// the response that opened a stream) is kept so the client can quote it.
    /// </summary>
    public ErrorInfo ToError(Exception exception, PlatformEntry entry, AdapterContext context, string operation)
    {
        var error = Describe(exception, entry, context, operation);
        // An error event inside an upstream stream has no id of its own: the stream's response named the call.
        var upstreamId = (exception as ManifoldException)?.UpstreamRequestId ?? context.UpstreamRequestId;
        return upstreamId is null || error.RequestId is not null ? error : error with { RequestId = upstreamId };
    }

    /// <summary>Stands for "the caller went away": nothing is written, nothing is logged as a failure.</summary>
    public static ErrorInfo Cancelled { get; } = new(499, "cancelled", "The caller went away.");

    private ErrorInfo Describe(Exception exception, PlatformEntry entry, AdapterContext context, string operation)
    {
        // What an upstream said may quote a key (in any shape, also once decoded from JSON escapes): masked before it is
        // logged or told, whatever plugin built the exception.
        var scrubber = entry.Accounts.Scrubber;
        switch (exception)
        {
            case UpstreamException { StatusCode: StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden } rejected:
                // The upstream refused the platform's account, not the client's licence: passing 401/403
                // through would tell the client its own key is wrong.
                var said = scrubber.Scrub(rejected.Message);
                log.UpstreamFailed(entry.Name, context.Account?.Id ?? "-", rejected.StatusCode, said);
                return new ErrorInfo(StatusCodes.Status502BadGateway, "upstream_error",
                    $"Platform '{entry.Name}' could not authenticate upstream ({rejected.StatusCode}): {said}", Code: "upstream_auth_failed");
            case ConversionException conversion:
                // The caller asked for something the platform's protocol cannot say: the caller's 400, not an upstream failure.
                return ErrorInfo.From(conversion);
            case ManifoldException manifold:
                var error = ErrorInfo.From(manifold);
                error = error with { Type = scrubber.Scrub(error.Type), Message = scrubber.Scrub(error.Message), Param = scrubber.ScrubOrNull(error.Param), Code = scrubber.ScrubOrNull(error.Code) };
                log.UpstreamFailed(entry.Name, context.Account?.Id ?? "-", manifold.StatusCode, error.Message);
                return error;
            case JsonException json:
                log.UpstreamFailed(entry.Name, context.Account?.Id ?? "-", StatusCodes.Status502BadGateway, json.Message);
                return new ErrorInfo(StatusCodes.Status502BadGateway, "upstream_error",
                    $"Platform '{entry.Name}' answered with JSON Manifold could not read: {JsonErrorMessages.Describe(json)}", Code: "bad_upstream_response");
            default:
                log.PluginFailed(exception, entry.Name, operation);
                return new ErrorInfo(StatusCodes.Status502BadGateway, "upstream_error",
                    $"Platform '{entry.Name}' failed to handle the request ({exception.GetType().Name}). Request id: {context.RequestId}.", Code: "platform_error");
        }
    }

    /// <summary>
    /// At most <see cref="GatewayOptions.MaxAttempts"/>, one per account, and no more than the request's own
    /// <c>retry_attempt</c> allows (0: the first attempt only).
    /// </summary>
    private int MaxAttempts(PlatformEntry entry, in AccountRoute route)
    {
        var attempts = Math.Min(entry.AccountCount, options.MaxAttempts);
        if (route.MaxRetries is { } retries)
        {
            attempts = Math.Min(attempts, retries + 1);
        }
        return Math.Max(1, attempts);
    }

    private bool ShouldRetry(Exception exception, PlatformEntry entry, AdapterContext context, int attempt, int maxAttempts)
    {
        if (exception is not UpstreamException { Retryable: true } upstream || attempt >= maxAttempts)
        {
            return false;
        }
        log.Retrying(entry.Name, context.Account?.Id ?? "-", upstream.StatusCode, attempt, maxAttempts);
        _metrics.UpstreamRetried(entry.Name);
        return true;
    }

    /// <summary>Notes the account an attempt used, so the next attempt takes another; the list is made on the first retry only.</summary>
    private static void Remember(ref AccountHealth?[]? tried, int maxAttempts, int attempt, in AccountLease lease)
    {
        tried ??= new AccountHealth?[maxAttempts];
        tried[attempt - 1] = lease.Account?.Health;
    }

    internal static async ValueTask DisposeQuietlyAsync<T>(IAsyncEnumerator<T>? events)
    {
        if (events is null)
        {
            return;
        }
        try
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or HttpRequestException)
        {
            // Disposing aborts the upstream response; failures while doing so change nothing for the caller.
        }
    }
}

/// <summary>
/// The outcome of an adapter call, as a value: the result, or the error to report (<see cref="UpstreamInvoker.Cancelled"/>
/// when the caller left), with the context of the last attempt (its account, the upstream's request id).
/// </summary>
public readonly record struct Invocation<T>(T? Value, ErrorInfo? Error, AdapterContext Context)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// A stream whose first event has been awaited: <see cref="HasEvent"/> says whether there was one. <see cref="Lease"/> is
/// the account it runs on, to release when the stream ends.
/// </summary>
public sealed record OpenedStream<TEvent>(IAsyncEnumerator<TEvent> Events, bool HasEvent, AccountLease Lease)
{
    /// <summary>When the attempt that opened it began (a <see cref="Stopwatch"/> timestamp), for its duration once it ends.</summary>
    public long Started { get; init; }
}
