using Manifold.Host.Licences;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;

namespace Manifold.Host.Endpoints;

public sealed partial class EndpointCall
{
    /// <summary>The caller's licence (set by <see cref="Auth.LicenceMiddleware"/>); null only for endpoints that need none.</summary>
    private Licence? Licence => _http.Features.Get<Licence>();

    /// <summary>
    /// Why the caller's licence may not use <paramref name="entry"/> (or <paramref name="model"/> on it), or null when it may:
    /// a 403 in the caller's protocol, naming what the operator would have to allow.
    /// </summary>
    private ErrorInfo? PolicyRefusal(PlatformEntry entry, string? model)
    {
        if (Licence is not { } licence)
        {
            return null;
        }
        if (!licence.Policy.AllowsPlatform(entry.Name))
        {
            return new ErrorInfo(StatusCodes.Status403Forbidden, "permission_error",
                $"This licence may not use platform '{entry.Name}'.", Code: "platform_not_allowed");
        }
        return licence.Policy.AllowsModel(model)
            ? null
            : new ErrorInfo(StatusCodes.Status403Forbidden, "permission_error", $"This licence may not use the model '{model}'.", "model", "model_not_allowed");
    }

    /// <summary>Whether a fan-out (a model list at the root) asks <paramref name="entry"/>: only platforms the licence may use.</summary>
    private bool MayAsk(PlatformEntry entry) => Licence?.Policy.AllowsPlatform(entry.Name) ?? true;
}
