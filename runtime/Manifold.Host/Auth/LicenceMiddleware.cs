using Manifold.Host.Endpoints;
using Manifold.Host.Licences;
using Manifold.Host.Protocols;
using Manifold.Host.Metering;

namespace Manifold.Host.Auth;

/// <summary>
/// Requires a valid licence on every gateway operation (endpoints carrying an
/// <see cref="OperationDescriptor"/>) and answers 401 in that operation's protocol. Runs after routing,
/// so it knows which protocol the client speaks. On the cached path it allocates nothing.
/// </summary>
public sealed class LicenceMiddleware(
    RequestDelegate next, LicenceAuthenticator authenticator, LicenceLimiter limiter, UsageLedger usage, TimeProvider time, FailedLookupLimiter failedLookups)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<OperationDescriptor>();
        if (operation is null)
        {
            await next(http);
            return;
        }

        if (!LicenceKeyReader.TryRead(http.Request, out var key))
        {
            await Reject(http, operation,
                "You didn't provide a licence key. Send it as 'Authorization: Bearer <key>' (or the X-Api-Key / X-Goog-Api-Key header, or ?key=).",
                "missing_api_key");
            return;
        }

        // A key known good is answered from the cache; any other costs a lookup, which an address with too many failed
        // ones is refused before it is made (FailedLookupLimiter).
        if (!authenticator.TryGetCached(key.Span, out var licence))
        {
            var address = failedLookups.AddressOf(http);
            if (!failedLookups.Allows(address, out var retryAfter))
            {
                await FailedLookupLimiter.RefuseAsync(http, WireProtocols.Get(operation.Protocol), retryAfter);
                return;
            }
            licence = await authenticator.AuthenticateAsync(key, http.RequestAborted);
            if (licence is null)
            {
                failedLookups.Failed(address);
            }
        }
        if (licence is null)
        {
            // Never echo the key: it may be a real secret pasted into the wrong gateway.
            await Reject(http, operation, "Incorrect or revoked licence key provided.", "invalid_api_key");
            return;
        }

        // Known from here on, so that the refusals below are metered (the request log) against it.
        http.Features.Set(licence);

        if (licence.Policy.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            await Reject(http, operation, $"This licence expired at {expires:u}.", "licence_expired");
            return;
        }

        // Before the rate limits take a permit: a spent quota or tpm refuses without using up rpm.
        if (usage.Check(licence) is { Allowed: false } verdict)
        {
            await UsageRefusals.WriteAsync(http, WireProtocols.Get(operation.Protocol), verdict);
            return;
        }

        // Held until the request ends, a stream's last byte included: limits.concurrency counts requests in flight.
        using var permit = limiter.Acquire(licence);
        if (!permit.Granted)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(permit.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ProtocolResponses.WriteErrorAsync(http, WireProtocols.Get(operation.Protocol), new ErrorInfo(StatusCodes.Status429TooManyRequests, "requests",
                permit.Refusal == "rpm"
                    ? $"This licence's limit of {licence.Policy.Limits!.Rpm} requests per minute is reached; try again in {permit.RetryAfter.TotalSeconds:0.#} s."
                    : $"This licence's limit of {licence.Policy.Limits!.Concurrency} requests at once is reached.",
                Code: "rate_limit_exceeded"));
            return;
        }

        await next(http);
    }

    private static Task Reject(HttpContext http, OperationDescriptor operation, string message, string code) =>
        ProtocolResponses.WriteErrorAsync(http, WireProtocols.Get(operation.Protocol),
            new ErrorInfo(StatusCodes.Status401Unauthorized, "invalid_request_error", message, Code: code));
}
