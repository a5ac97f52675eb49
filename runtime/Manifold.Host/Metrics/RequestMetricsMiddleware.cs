using System.Diagnostics;
using Manifold.Host.Endpoints;

namespace Manifold.Host.Metrics;

/// <summary>
/// Counts and times every gateway operation (endpoints carrying an <see cref="OperationDescriptor"/>), refused ones
/// included: it runs before the licence check, so a 401 or 429 is counted like any answer. Timing ends when the handler
/// returns, a stream's last byte included. Other paths (admin, media files, <c>/metrics</c> itself) are not counted.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, GatewayMetrics metrics)
{
    /// <summary>nginx's status for "the client closed the connection before the answer": nothing was sent.</summary>
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext http)
    {
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<OperationDescriptor>();
        if (operation is null)
        {
            await next(http);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var threw = false;
        try
        {
            await next(http);
        }
        catch
        {
            threw = true;
            throw;
        }
        finally
        {
            metrics.RequestCompleted(operation.Protocol, RequestPlatform.NameOf(http), StatusOf(http, threw), started);
        }
    }

    private static int StatusOf(HttpContext http, bool threw)
    {
        var response = http.Response;
        if (response.HasStarted)
        {
            // What the client was sent, even if it left mid-stream.
            return response.StatusCode;
        }
        // Nothing was sent: the server answers an exception with a 500, and a client that left gets nothing at all.
        return http.RequestAborted.IsCancellationRequested ? ClientClosedRequest : threw ? StatusCodes.Status500InternalServerError : response.StatusCode;
    }
}
