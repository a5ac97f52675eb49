using System.Text.Json;
using Manifold.Contracts;
using Manifold.Host.Accounts;
using Manifold.Host.Gateway;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;
using Manifold.Host.Metering;

namespace Manifold.Host.Endpoints;

public sealed partial class EndpointCall
{
    /// <summary>Calls the adapter, retrying retryable upstream failures on other accounts, and writes the JSON result.</summary>
    public async Task RespondAsync<TAdapter, TResponse>(
        PlatformTarget<TAdapter> target, Func<TAdapter, AdapterContext, CancellationToken, Task<TResponse>> invoke)
        where TAdapter : class
        where TResponse : class
    {
        if (await InvokeAsync(target, invoke) is { } result)
        {
            await WriteJsonAsync(_outputFilter is null ? result : (TResponse)_outputFilter.FilterResponse(result, _output));
        }
    }

    /// <summary>
    /// Calls the adapter as <see cref="RespondAsync"/> does, for a handler that still has work to do with the answer (a list
    /// it pages); null when the call failed, the error already written.
    /// </summary>
    public async Task<TResponse?> InvokeAsync<TAdapter, TResponse>(
        PlatformTarget<TAdapter> target, Func<TAdapter, AdapterContext, CancellationToken, Task<TResponse>> invoke)
        where TAdapter : class
        where TResponse : class
    {
        var waiting = RequestMeter.Now();
        var outcome = await _runtime.Invoker.InvokeAsync(target.Entry, target.Adapter, invoke, _http.TraceIdentifier, _operation.OperationId, Aborted, target.Pinned, target.Route);
        _meter?.WaitedOnUpstream(waiting);
        _meter?.Dispatched(outcome.Context.Account?.Id);
        if (outcome.Error is { } error)
        {
            await FailAsync(error);
            return null;
        }
        ProtocolResponses.SetRequestId(_http, _protocol, outcome.Context.UpstreamRequestId);
        if (_meter is { } meter && outcome.Value is { } value)
        {
            meter.ReadAnswer(value);
            // Before the answer is written: the client's next request already sees it against its quota and tpm.
            meter.Settle(Licence, succeeded: true);
        }
        return outcome.Value;
    }

    /// <summary>
    /// Calls every platform that implements <typeparamref name="TAdapter"/> (or, for a model list, can be viewed as one) at
    /// once; those that fail or time out are left out.
    /// </summary>
    public async Task<IReadOnlyList<TResponse>> FanOutAsync<TAdapter, TResponse>(Func<TAdapter, AdapterContext, CancellationToken, Task<TResponse>> invoke)
        where TAdapter : class
    {
        var calls = new List<Task<(bool Ok, TResponse? Value)>>();
        foreach (var entry in _runtime.Platforms.All)
        {
            if (MayAsk(entry) && (entry.Platform as TAdapter ?? entry.ModelListView<TAdapter>()) is { } adapter)
            {
                calls.Add(CallOneAsync(entry, adapter));
            }
        }
        var waiting = RequestMeter.Now();
        var results = await Task.WhenAll(calls);
        _meter?.WaitedOnUpstream(waiting);
        return results.Where(static r => r.Ok && r.Value is not null).Select(static r => r.Value!).ToList();

        async Task<(bool, TResponse?)> CallOneAsync(PlatformEntry entry, TAdapter adapter)
        {
            // One account per platform, from the groups the licence may use; no retries: a list that fails is left out.
            var lease = entry.Accounts.Acquire(new AccountRoute(Licence?.Policy.Groups, groupsFromRequest: false, session: null, maxRetries: 0));
            if (lease.Refusal is { } refusal)
            {
                _runtime.Log.FanOutFailed(entry.Name, _operation.OperationId, refusal.Message);
                return (false, default);
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Aborted);
            timeout.CancelAfter(_runtime.Options.FanOutTimeout);
            try
            {
                var result = await invoke(adapter, new AdapterContext(entry.Name, lease.Upstream, _http.TraceIdentifier), timeout.Token);
                lease.Succeeded();
                return (true, result);
            }
            catch (Exception ex) when (!Aborted.IsCancellationRequested)
            {
                if (timeout.IsCancellationRequested)
                {
                    lease.Abandoned();
                }
                else
                {
                    lease.Failed(ex);
                }
                _runtime.Log.FanOutFailed(entry.Name, _operation.OperationId, ex is ManifoldException m ? m.Message : ex.GetType().Name);
                return (false, default);
            }
            catch
            {
                lease.Abandoned();
                throw;
            }
            finally
            {
                lease.Release();
            }
        }
    }

    /// <summary>
    /// Calls the adapter as <see cref="RespondAsync"/> does and writes the bytes it answers: with their length, and with
    /// <c>Range</c> support when the stream can seek (a stored video a player scrubs through); else streamed as they come.
    /// </summary>
    public async Task RespondBinaryAsync<TAdapter>(
        PlatformTarget<TAdapter> target, Func<TAdapter, AdapterContext, CancellationToken, Task<BinaryContent>> invoke)
        where TAdapter : class
    {
        if (await InvokeAsync(target, invoke) is not { } content)
        {
            return;
        }
        await using (content)
        {
            try
            {
                if (content.Content.CanSeek)
                {
                    // Results.Stream answers Range (206, 416) and If-Range itself for a seekable stream.
                    await Results.Stream(content.Content, content.ContentType, enableRangeProcessing: true).ExecuteAsync(_http);
                    return;
                }
                var response = _http.Response;
                response.StatusCode = _operation.SuccessStatus;
                response.ContentType = content.ContentType;
                response.ContentLength = content.Length;
                await content.Content.CopyToAsync(response.Body, Aborted);
            }
            catch (Exception ex) when (Aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
            {
                // The client stopped downloading.
            }
        }
    }

    /// <summary>Writes a JSON body (the operation's success status) with a Content-Length, so small answers go out in one write.</summary>
    public async Task WriteJsonAsync<T>(T value)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, ManifoldJson.Options);
        var response = _http.Response;
        response.StatusCode = _operation.SuccessStatus;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, Aborted);
    }

    /// <summary>Writes an error in the caller's protocol, unless the response has already started.</summary>
    public Task WriteErrorAsync(ErrorInfo error) => ProtocolResponses.WriteErrorAsync(_http, _protocol, error);

    /// <summary>Writes <paramref name="error"/>, unless the caller has gone (<see cref="UpstreamInvoker.Cancelled"/>).</summary>
    private Task FailAsync(ErrorInfo error) => ReferenceEquals(error, UpstreamInvoker.Cancelled) ? Task.CompletedTask : WriteErrorAsync(error);
}
