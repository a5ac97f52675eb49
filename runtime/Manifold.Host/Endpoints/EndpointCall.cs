using System.Text.Json;
using Manifold.Contracts;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using Manifold.Host.Gateway;
using Manifold.Host.Protocols;
using Manifold.Host.Metering;

using Microsoft.AspNetCore.Http.Features;

namespace Manifold.Host.Endpoints;

/// <summary>
/// One inbound call, as generated handlers drive it, each step in its own file: read and validate the request (here),
/// pick the platform (EndpointCall.Resolve.cs), call the adapter through the HTTP-free <see cref="UpstreamInvoker"/> and
/// write the answer (EndpointCall.Respond.cs), or relay a stream (EndpointCall.Stream.cs). Nothing here throws to
/// ASP.NET Core: every failure becomes a 4xx/5xx in the caller's protocol.
/// </summary>
public sealed partial class EndpointCall
{
    private readonly HttpContext _http;
    private readonly OperationDescriptor _operation;
    private readonly IWireProtocol _protocol;
    private readonly GatewayRuntime _runtime;

    // What this request uses (Metering/UsageMiddleware); null where metering is not set up (tests of generated code).
    private readonly RequestMeter? _meter;

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
        _meter = http.Features.Get<RequestMeter>();
    }

    private CancellationToken Aborted => _http.RequestAborted;

    /// <summary>True under <c>/{platform}/...</c>; false at the root, where the model picks the platform.</summary>
    public bool HasPlatform => _http.Request.RouteValues.ContainsKey(EndpointMapper.PlatformRouteValue);

    public string RouteValue(string name) => _http.Request.RouteValues[name] as string ?? string.Empty;

    /// <summary>The query string, read parameter by parameter as the spec declares them.</summary>
    public QueryParameters Query() => new(this, _http.Request.Query);

    /// <summary>The files of a multipart request (read by <see cref="ReadBodyAsync(Type)"/>); none for a JSON one.</summary>
    public FileParts Files { get; private set; } = FileParts.None;

    /// <summary>
    /// Reads the body, JSON or (where the operation takes one) a form, into <typeparamref name="T"/> and validates it; on
    /// failure writes a 400 (413 when too large) and returns null.
    /// </summary>
    public async Task<T?> ReadBodyAsync<T>()
        where T : class, IValidatable =>
        (T?)await ReadBodyAsync(typeof(T));

    /// <summary>
    /// <see cref="ReadBodyAsync{T}"/> for a DTO known only at run time (a plugin's), which must implement <see cref="IValidatable"/>.
    /// </summary>
    public async Task<IValidatable?> ReadBodyAsync(Type type)
    {
        IValidatable? body;
        try
        {
            if (_operation.Form is { } form && FormBody.IsForm(_http.Request))
            {
                if (_http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = _runtime.Options.MaxUploadBytes;
                }
                var (fields, files) = await FormBody.ReadAsync(_http, form, Aborted);
                Files = files;
                body = (IValidatable?)FormBinder.Bind(fields, type);
            }
            else
            {
                if (_http.Request.ContentLength == 0)
                {
                    await WriteErrorAsync(ErrorInfo.BadRequest("The request body is empty; send a JSON object."));
                    return null;
                }
                var maxBytes = _runtime.Options.Limits.MaxRequestBytes;
                if (RequestBody.TooLarge(_http, maxBytes) is { } tooLarge)
                {
                    await WriteErrorAsync(tooLarge);
                    return null;
                }
                body = (IValidatable?)await RequestBody.ReadJsonAsync(_http.Request.BodyReader, type, maxBytes, Aborted);
            }
        }
        catch (FormException ex)
        {
            await WriteErrorAsync(new ErrorInfo(ex.Status, "invalid_request_error", ex.Message, ex.Param));
            return null;
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(ErrorInfo.BadRequest(JsonErrorMessages.Describe(ex), JsonErrorMessages.Param(ex)));
            return null;
        }
        catch (RequestTooLargeException ex)
        {
            await WriteErrorAsync(RequestBody.TooLargeError(ex.MaxBytes));
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
}
