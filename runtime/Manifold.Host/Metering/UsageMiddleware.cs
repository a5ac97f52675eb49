using Manifold.Host.Endpoints;
using Manifold.Host.Licences;

namespace Manifold.Host.Metering;

/// <summary>
/// Meters every gateway operation (endpoints carrying an <see cref="OperationDescriptor"/>): gives the request a
/// <see cref="RequestMeter"/> that the licence check and <see cref="EndpointCall"/> fill in, writes Manifold's overhead
/// header as the response starts, and when the request has ended (a stream's last byte included) leaves its record in the
/// <see cref="UsageQueue"/>. Runs before <see cref="Auth.LicenceMiddleware"/>, so its refusals carry the header and, when
/// the licence was known, are in the request log. Requests without a valid licence are not recorded: a flood of bad keys
/// must not fill the log.
/// </summary>
public sealed class UsageMiddleware(RequestDelegate next, UsageQueue usage)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<OperationDescriptor>();
        if (operation is null)
        {
            await next(http);
            return;
        }

        var meter = new RequestMeter(http, operation, usage);
        http.Features.Set(meter);
        http.Response.OnStarting(RequestMeter.WriteOverheadHeader, meter);
        var threw = true;
        try
        {
            await next(http);
            threw = false;
        }
        finally
        {
            if (http.Features.Get<Licence>() is { } licence)
            {
                usage.Enqueue(meter.Complete(licence, threw));
            }
        }
    }
}
