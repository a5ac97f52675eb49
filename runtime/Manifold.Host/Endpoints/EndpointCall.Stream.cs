using System.Text.Json;
using Manifold.Contracts;
using Manifold.Host.Gateway;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;
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
        var opened = await _runtime.Invoker.OpenStreamAsync(target.Entry, target.Adapter, open, _http.TraceIdentifier, _operation.OperationId, Aborted, target.Route);
        if (opened.Error is { } error)
        {
            await FailAsync(error);
            return;
        }
        var stream = opened.Value!;
        try
        {
            await RelayAsync(stream.Events, stream.HasEvent, target.Entry, opened.Context);
        }
        finally
        {
            await UpstreamInvoker.DisposeQuietlyAsync(stream.Events);
            // The account carried the stream to its last byte; max_concurrency counts it until now.
            stream.Lease.Release();
        }
    }

    private async Task RelayAsync<TEvent>(IAsyncEnumerator<TEvent> events, bool hasEvent, PlatformEntry entry, AdapterContext context)
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
                if (filter is not null)
                {
                    current = filter(current!);
                }
                if (current is not null)
                {
                    framing.WriteEvent(output, json, (TEvent)current);
                    if ((await output.FlushAsync(Aborted)).IsCompleted)
                    {
                        return;
                    }
                }
                hasEvent = await events.MoveNextAsync();
            }
            framing.WriteStreamEnd(output);
            await output.FlushAsync(Aborted);
        }
        catch (Exception ex) when (Aborted.IsCancellationRequested)
        {
            _runtime.Log.ClientDisconnected(entry.Name, _operation.OperationId, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            var error = ProtocolResponses.WithRequestId(_http, _protocol, _runtime.Invoker.ToError(ex, entry, context, _operation.OperationId));
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
