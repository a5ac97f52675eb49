using System.Text.Json;
using Manifold.Contracts;
using Manifold.Host.Gateway;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;
using Manifold.Host.Metering;
using Manifold.Contracts.OpenAI;
using Microsoft.AspNetCore.Http.Features;

namespace Manifold.Host.Endpoints;

public sealed partial class EndpointCall
{
    /// <summary>
    /// Opens the adapter's stream and relays each event the moment it arrives. A failure before the
    /// first event can still be retried or answered with an error status; after it, the protocol's
    /// in-stream error event ends the stream. A client disconnect cancels the upstream call.
    /// </summary>
    public async Task StreamAsync<TAdapter, TEvent>(
        PlatformTarget<TAdapter> target, Func<TAdapter, AdapterContext, CancellationToken, IAsyncEnumerable<TEvent>> open)
        where TAdapter : class
    {
        var stripUsage = AskForStreamUsage();
        var waiting = RequestMeter.Now();
        // The upstream side runs on a token a stopping gateway cancels once its drain timeout has passed (Shutdown/StreamDrain).
        using var tracked = _runtime.Drain.Track(Aborted);
        var opened = await _runtime.Invoker.OpenStreamAsync(target.Entry, target.Adapter, open, _http.TraceIdentifier, _operation.OperationId, tracked.Token, target.Route);
        _meter?.WaitedOnUpstream(waiting);
        _meter?.Dispatched(opened.Context.Account?.Id);
        if (opened.Error is { } error)
        {
            await FailAsync(ReferenceEquals(error, UpstreamInvoker.Cancelled) && !Aborted.IsCancellationRequested ? ShuttingDown : error);
            return;
        }
        var stream = opened.Value!;
        using var active = _runtime.Metrics.StreamOpened(target.Entry.Name, stream.Started, Aborted);
        try
        {
            await RelayAsync(stream.Events, stream.HasEvent, target.Entry, opened.Context, stripUsage, tracked.Token);
        }
        finally
        {
            await UpstreamInvoker.DisposeQuietlyAsync(stream.Events);
            // The account carried the stream to its last byte; max_concurrency counts it until now.
            stream.Lease.Release();
        }
    }

    /// <summary>
    /// A Chat Completions stream reports usage only when the client asks (<c>stream_options.include_usage</c>). To meter
    /// one that did not, the upstream (or the converting bridge) is asked anyway, and true is returned: the relay then
    /// reads the usage and strips it, so the client gets exactly the stream it asked for.
    /// </summary>
    private bool AskForStreamUsage()
    {
        if (_meter is null || _body is not CreateChatCompletionRequest chat || chat.StreamOptions?.IncludeUsage == true)
        {
            return false;
        }
        chat.StreamOptions ??= new ChatCompletionStreamOptions();
        chat.StreamOptions.IncludeUsage = true;
        return true;
    }

    /// <summary>The usage the client did not ask for: OpenAI's extra chunk with no choices is dropped, usage on a chunk with choices cleared.</summary>
    private static object? StripUsage(object streamed)
    {
        if (streamed is not CreateChatCompletionStreamResponse { Usage: not null } chunk)
        {
            return streamed;
        }
        if (chunk.Choices is not { Count: > 0 })
        {
            return null;
        }
        chunk.Usage = null;
        return chunk;
    }

    /// <summary>
    /// What a stream still open when a stopping gateway's drain timeout passes ends with (in its protocol's error event), or a
    /// stream that was opening then is answered with: the client may send the request again, to another node.
    /// </summary>
    private static readonly ErrorInfo ShuttingDown = new(StatusCodes.Status503ServiceUnavailable, "server_error",
        "The gateway is shutting down and its drain timeout (Manifold__Gateway__DrainTimeout) has passed; send the request again.",
        Code: "server_shutting_down", RetryAfter: TimeSpan.FromSeconds(1));

    private async Task RelayAsync<TEvent>(IAsyncEnumerator<TEvent> events, bool hasEvent, PlatformEntry entry, AdapterContext context, bool stripUsage, CancellationToken upstream)
    {
        var response = _http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        ProtocolResponses.SetRequestId(_http, _protocol, context.UpstreamRequestId);
        var framing = _protocol.BeginStream(_http.Request);
        response.ContentType = framing.ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        _http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var output = response.BodyWriter;
        // One filter per stream: it may remember what it dropped (Anthropic block indexes are renumbered after it).
        var filter = _outputFilter?.CreateChunkFilter(_output);
        using var json = new Utf8JsonWriter(output, ManifoldJson.WriterOptions);
        try
        {
            framing.WriteStart(output);
            while (hasEvent)
            {
                object? current = events.Current;
                _meter?.ReadEvent(current!);
                if (stripUsage)
                {
                    current = StripUsage(current!);
                }
                if (filter is not null && current is not null)
                {
                    current = filter(current);
                }
                if (current is not null)
                {
                    framing.WriteEvent(output, json, (TEvent)current);
                    var flushing = RequestMeter.Now();
                    var flushed = await output.FlushAsync(Aborted);
                    _meter?.WaitedOnClient(flushing);
                    if (flushed.IsCompleted)
                    {
                        _meter?.Abandoned();
                        return;
                    }
                }
                var waiting = RequestMeter.Now();
                hasEvent = await events.MoveNextAsync();
                _meter?.WaitedOnUpstream(waiting);
            }
            framing.WriteStreamEnd(output);
            await output.FlushAsync(Aborted);
        }
        catch (Exception ex) when (Aborted.IsCancellationRequested)
        {
            _meter?.Abandoned();
            _runtime.Log.ClientDisconnected(entry.Name, _operation.OperationId, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            // Whatever the adapter threw once the drain ended its token, the cause is the shutdown, not the platform.
            var error = ProtocolResponses.WithRequestId(_http, _protocol, upstream.IsCancellationRequested
                ? ShuttingDown
                : _runtime.Invoker.ToError(ex, entry, context, _operation.OperationId));
            _meter?.StreamFailed(error.Code ?? error.Type);
            try
            {
                framing.WriteStreamError(output, json, error);
                await output.FlushAsync(Aborted);
            }
            catch (Exception writeFailure) when (writeFailure is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The client is gone too; nothing left to tell.
            }
        }
    }
}
