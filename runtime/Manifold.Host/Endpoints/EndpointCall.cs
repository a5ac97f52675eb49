using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Conversion.Pipeline;
using Manifold.Host.Conversion;
using Manifold.Host.Gateway;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Http.Features;

namespace Manifold.Host.Endpoints;

/// <summary>
/// One inbound call, as generated handlers drive it: read and validate the typed body, pick the
/// platform, call the adapter (retrying on another account when the upstream failure allows), and
/// write the result, an SSE stream, or an error in the caller's protocol. Nothing here throws to
/// ASP.NET Core: every failure becomes a 4xx/5xx the client can read.
/// </summary>
public sealed class EndpointCall
{
    private readonly HttpContext _http;
    private readonly OperationDescriptor _operation;
    private readonly IWireProtocol _protocol;
    private readonly GatewayRuntime _runtime;

    // The typed body, kept for ResolvePlatformAsync to ready (model suffix, extras) once the platform is known.
    private object? _body;

    // Set when a natively served answer must still honour the caller's output options (e.g. hide reasoning).
    private IInboundProtocol? _outputFilter;
    private OutputOptions _output = OutputOptions.Default;

    public EndpointCall(HttpContext http, OperationDescriptor operation)
    {
        _http = http;
        _operation = operation;
        _protocol = WireProtocols.Get(operation.Protocol);
        _runtime = http.RequestServices.GetRequiredService<GatewayRuntime>();
    }

    private CancellationToken Aborted => _http.RequestAborted;

    /// <summary>True under <c>/{platform}/...</c>; false at the root, where the model picks the platform.</summary>
    public bool HasPlatform => _http.Request.RouteValues.ContainsKey(EndpointMapper.PlatformRouteValue);

    public string RouteValue(string name) => _http.Request.RouteValues[name] as string ?? string.Empty;

    /// <summary>The query string, read parameter by parameter as the spec declares them.</summary>
    public QueryParameters Query() => new(this, _http.Request.Query);

    /// <summary>Reads the JSON body into <typeparamref name="T"/> and validates it; on failure writes a 400 and returns null.</summary>
    public async Task<T?> ReadBodyAsync<T>()
        where T : class, IValidatable
    {
        T? body;
        try
        {
            if (_http.Request.ContentLength == 0)
            {
                await WriteErrorAsync(ErrorInfo.BadRequest("The request body is empty; send a JSON object."));
                return null;
            }
            body = await RequestBody.ReadJsonAsync<T>(_http.Request.BodyReader, Aborted);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(ErrorInfo.BadRequest(JsonErrorMessages.Describe(ex), JsonErrorMessages.Param(ex)));
            return null;
        }
        catch (BadHttpRequestException ex)
        {
            await WriteErrorAsync(new ErrorInfo(ex.StatusCode, "invalid_request_error", ex.Message));
            return null;
        }
        catch (Exception ex) when (Aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            return null;
        }

        if (body is null)
        {
            await WriteErrorAsync(ErrorInfo.BadRequest("The request body must be a JSON object, not null."));
            return null;
        }
        if (body.Validate() is { } error)
        {
            await WriteErrorAsync(ErrorInfo.BadRequest(error.Message, error.Param));
            return null;
        }
        _body = body;
        return body;
    }

    /// <summary>
    /// Picks the platform: the <c>{platform}</c> route value when present, else the one serving
    /// <paramref name="model"/>. Writes a 404 and returns null when there is none.
    /// </summary>
    public async ValueTask<PlatformTarget<TAdapter>?> ResolvePlatformAsync<TAdapter>(string? model)
        where TAdapter : class
    {
        // The protocol's own spelling of a model name (Gemini's models/{id}) is routed, and sent on, as the bare id.
        var named = model;
        model = model is null ? null : _protocol.ModelOf(model);
        var registry = _runtime.Platforms;
        PlatformEntry? entry;
        if (HasPlatform)
        {
            var name = RouteValue(EndpointMapper.PlatformRouteValue);
            if (!registry.TryGet(name, out entry))
            {
                var known = string.Join(", ", registry.All.Select(static p => p.Name));
                await WriteErrorAsync(ErrorInfo.NotFound($"Unknown platform '{name}'. Configured platforms: {known}.", code: "platform_not_found"));
                return null;
            }
        }
        else
        {
            entry = string.IsNullOrEmpty(model) ? null
                : registry.ResolveModel<TAdapter>(model) ?? (ModelSuffix.Parse(model) is { } bare ? registry.ResolveModel<TAdapter>(bare.Model) : null);
            if (entry is null)
            {
                await WriteErrorAsync(ErrorInfo.NotFound(
                    $"The model '{model}' does not exist or no configured platform serves it. Call GET /v1/models for the list, or address a platform directly as /{{platform}}{_operation.Pattern}.",
                    "model",
                    "model_not_found"));
                return null;
            }
        }

        var inbound = ProtocolBridging.Inbound<TAdapter>();
        ModelSuffix? suffix = null;
        if (inbound is not null && _body is not null)
        {
            // A name the operator listed exactly is a model, never model + suffix.
            suffix = string.IsNullOrEmpty(model) || entry.ListsExactly(model) ? null : ModelSuffix.Parse(model);
            try
            {
                _output = inbound.Prepare(_body, suffix, QueryExtras());
            }
            catch (ManifoldException ex)
            {
                await WriteErrorAsync(ErrorInfo.From(ex));
                return null;
            }
        }

        TAdapter adapter;
        if (entry.Platform is TAdapter native)
        {
            adapter = native;
            _outputFilter = inbound is not null && _output != OutputOptions.Default ? inbound : null;
        }
        else if (inbound is not null && entry.HubTarget is { } hub)
        {
            adapter = (TAdapter)inbound.CreateBridge(hub, entry.HubCounter, _output);
        }
        else if (entry.ModelListView<TAdapter>() is { } view)
        {
            adapter = view;
        }
        else
        {
            await WriteErrorAsync(ErrorInfo.NotFound(
                $"Platform '{entry.Name}' (plugin '{entry.Settings.Plugin}') does not serve {_operation.Method} {_operation.Pattern}.", code: "unsupported_endpoint"));
            return null;
        }
        return new PlatformTarget<TAdapter>(entry, adapter) { Model = suffix?.Model ?? (model == named ? null : model) };
    }

    /// <summary>The output extras in the query string; the query is parsed only when there is one.</summary>
    private OutputOptions QueryExtras()
    {
        var request = _http.Request;
        return request.QueryString.HasValue
            ? RequestExtras.FromQuery(name => request.Query.TryGetValue(name, out var value) ? value.ToString() : null)
            : OutputOptions.Default;
    }

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
        var maxAttempts = MaxAttempts(target.Entry);
        for (var attempt = 1; ; attempt++)
        {
            var context = NewContext(target.Entry);
            try
            {
                var result = await invoke(target.Adapter, context, Aborted);
                ProtocolResponses.SetRequestId(_http, _protocol, context.UpstreamRequestId);
                return result;
            }
            catch (Exception ex) when (ShouldRetry(ex, target.Entry, context, attempt, maxAttempts))
            {
                continue;
            }
            catch (Exception ex)
            {
                await FailAsync(ex, target.Entry, context);
                return null;
            }
        }
    }

    /// <summary>
    /// Opens the adapter's stream and relays each event the moment it arrives. A failure before the
    /// first event can still be retried or answered with an error status; after it, the protocol's
    /// in-stream error event ends the stream. A client disconnect cancels the upstream call.
    /// </summary>
    public async Task StreamAsync<TAdapter, TEvent>(
        PlatformTarget<TAdapter> target, Func<TAdapter, AdapterContext, CancellationToken, IAsyncEnumerable<TEvent>> open)
        where TAdapter : class
    {
        var maxAttempts = MaxAttempts(target.Entry);
        for (var attempt = 1; ; attempt++)
        {
            var context = NewContext(target.Entry);
            IAsyncEnumerator<TEvent>? events = null;
            bool hasEvent;
            try
            {
                events = open(target.Adapter, context, Aborted).GetAsyncEnumerator(Aborted);
                hasEvent = await events.MoveNextAsync();
            }
            catch (Exception ex) when (ShouldRetry(ex, target.Entry, context, attempt, maxAttempts))
            {
                await DisposeQuietlyAsync(events);
                continue;
            }
            catch (Exception ex)
            {
                await DisposeQuietlyAsync(events);
                await FailAsync(ex, target.Entry, context);
                return;
            }

            try
            {
                await RelayAsync(events, hasEvent, target.Entry, context);
            }
            finally
            {
                await DisposeQuietlyAsync(events);
            }
            return;
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
            var error = ProtocolResponses.WithRequestId(_http, _protocol, ToError(ex, entry, context));
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
            if ((entry.Platform as TAdapter ?? entry.ModelListView<TAdapter>()) is { } adapter)
            {
                calls.Add(CallOneAsync(entry, adapter));
            }
        }
        var results = await Task.WhenAll(calls);
        return results.Where(static r => r.Ok && r.Value is not null).Select(static r => r.Value!).ToList();

        async Task<(bool, TResponse?)> CallOneAsync(PlatformEntry entry, TAdapter adapter)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Aborted);
            timeout.CancelAfter(_runtime.Options.FanOutTimeout);
            try
            {
                return (true, await invoke(adapter, NewContext(entry), timeout.Token));
            }
            catch (Exception ex) when (!Aborted.IsCancellationRequested)
            {
                _runtime.Log.FanOutFailed(entry.Name, _operation.OperationId, ex is ManifoldException m ? m.Message : ex.GetType().Name);
                return (false, default);
            }
        }
    }

    /// <summary>Writes a 200 JSON body with a Content-Length, so small answers go out in one write.</summary>
    public async Task WriteJsonAsync<T>(T value)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, ManifoldJson.Options);
        var response = _http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, Aborted);
    }

    /// <summary>Writes an error in the caller's protocol, unless the response has already started.</summary>
    public Task WriteErrorAsync(ErrorInfo error) => ProtocolResponses.WriteErrorAsync(_http, _protocol, error);

    private int MaxAttempts(PlatformEntry entry) => Math.Max(1, Math.Min(entry.AccountCount, _runtime.Options.MaxAttempts));

    private AdapterContext NewContext(PlatformEntry entry) => new(entry.Name, entry.NextAccount(), _http.TraceIdentifier);

    private bool ShouldRetry(Exception exception, PlatformEntry entry, AdapterContext context, int attempt, int maxAttempts)
    {
        if (exception is not UpstreamException { Retryable: true } upstream || Aborted.IsCancellationRequested)
        {
            return false;
        }
        if (context.Account is { } account)
        {
            entry.CoolDown(account, _runtime.Options.CoolDown);
        }
        if (attempt >= maxAttempts)
        {
            return false;
        }
        _runtime.Log.Retrying(entry.Name, context.Account?.Id ?? "-", upstream.StatusCode, attempt, maxAttempts);
        return true;
    }

    private async Task FailAsync(Exception exception, PlatformEntry entry, AdapterContext context)
    {
        if (Aborted.IsCancellationRequested)
        {
            _runtime.Log.ClientDisconnected(entry.Name, _operation.OperationId, exception.GetType().Name);
            return;
        }
        await WriteErrorAsync(ToError(exception, entry, context));
    }

    private ErrorInfo ToError(Exception exception, PlatformEntry entry, AdapterContext context)
    {
        var error = ToErrorOf(exception, entry, context);
        // An error event inside an upstream stream has no id of its own: the stream's response named the call.
        var upstreamId = (exception as ManifoldException)?.UpstreamRequestId ?? context.UpstreamRequestId;
        return upstreamId is null || error.RequestId is not null ? error : error with { RequestId = upstreamId };
    }

    private ErrorInfo ToErrorOf(Exception exception, PlatformEntry entry, AdapterContext context)
    {
        switch (exception)
        {
            case UpstreamException { StatusCode: StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden } rejected:
                // The upstream refused the platform's account, not the client's licence: passing 401/403
                // through would tell the client its own key is wrong.
                _runtime.Log.UpstreamFailed(entry.Name, context.Account?.Id ?? "-", rejected.StatusCode, rejected.Message);
                return new ErrorInfo(StatusCodes.Status502BadGateway, "upstream_error",
                    $"Platform '{entry.Name}' could not authenticate upstream ({rejected.StatusCode}): {rejected.Message}", Code: "upstream_auth_failed");
            case ConversionException conversion:
                // The caller asked for something the platform's protocol cannot say: the caller's 400, not an upstream failure.
                return ErrorInfo.From(conversion);
            case ManifoldException manifold:
                _runtime.Log.UpstreamFailed(entry.Name, context.Account?.Id ?? "-", manifold.StatusCode, manifold.Message);
                return ErrorInfo.From(manifold);
            case JsonException json:
                _runtime.Log.UpstreamFailed(entry.Name, context.Account?.Id ?? "-", StatusCodes.Status502BadGateway, json.Message);
                return new ErrorInfo(StatusCodes.Status502BadGateway, "upstream_error",
                    $"Platform '{entry.Name}' answered with JSON Manifold could not read: {JsonErrorMessages.Describe(json)}", Code: "bad_upstream_response");
            default:
                _runtime.Log.PluginFailed(exception, entry.Name, _operation.OperationId);
                return new ErrorInfo(StatusCodes.Status502BadGateway, "upstream_error",
                    $"Platform '{entry.Name}' failed to handle the request ({exception.GetType().Name}). Request id: {_http.TraceIdentifier}.", Code: "platform_error");
        }
    }

    private static async ValueTask DisposeQuietlyAsync<T>(IAsyncEnumerator<T>? events)
    {
        if (events is null)
        {
            return;
        }
        try
        {
            await events.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or HttpRequestException)
        {
            // Disposing aborts the upstream response; failures while doing so change nothing for the client.
        }
    }
}
