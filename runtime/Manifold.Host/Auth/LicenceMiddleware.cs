using Manifold.Host.Endpoints;
using Manifold.Host.Licences;
using Manifold.Host.Protocols;

namespace Manifold.Host.Auth;

/// <summary>
/// Requires a valid licence on every gateway operation (endpoints carrying an
/// <see cref="OperationDescriptor"/>) and answers 401 in that operation's protocol. Runs after routing,
/// so it knows which protocol the client speaks. On the cached path it allocates nothing.
/// </summary>
public sealed class LicenceMiddleware(RequestDelegate next, LicenceAuthenticator authenticator, TimeProvider time)
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

        var licence = await authenticator.AuthenticateAsync(key, http.RequestAborted);
        if (licence is null)
        {
            // Never echo the key: it may be a real secret pasted into the wrong gateway.
            await Reject(http, operation, "Incorrect or revoked licence key provided.", "invalid_api_key");
            return;
        }

        if (licence.Policy.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            await Reject(http, operation, $"This licence expired at {expires:u}.", "licence_expired");
            return;
        }

        http.Features.Set(licence);
        await next(http);
    }

    private static Task Reject(HttpContext http, OperationDescriptor operation, string message, string code) =>
        ProtocolResponses.WriteErrorAsync(http, WireProtocols.Get(operation.Protocol),
            new ErrorInfo(StatusCodes.Status401Unauthorized, "invalid_request_error", message, Code: code));
}
