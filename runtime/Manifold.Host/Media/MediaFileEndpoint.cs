using Manifold.Host.Protocols;

namespace Manifold.Host.Media;

/// <summary>
/// <c>GET /v1/media/{key}?expires=&amp;signature=</c>: a stored result behind a signed, expiring link (see
/// <see cref="MediaLinks"/>). No licence: the signature is the permission, as with OpenAI's image URLs. A link that is
/// forged, tampered with or expired is a 403; a result deleted by retention is a 404.
/// </summary>
public static class MediaFileEndpoint
{
    public static IEndpointRouteBuilder MapMediaFiles(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(MediaLinks.RoutePrefix + "{**key}", static async (HttpContext http, string key, IMediaStorage storage, MediaLinks links) =>
        {
            if (!IsKey(key) || !links.IsValid(key, http.Request.Query["expires"], http.Request.Query["signature"]))
            {
                await ProtocolResponses.WriteErrorAsync(http, OpenAIWireProtocol.Instance,
                    new ErrorInfo(StatusCodes.Status403Forbidden, "invalid_request_error", "This link is not valid or has expired.", Code: "invalid_link"));
                return;
            }
            var media = await storage.OpenAsync(key, http.RequestAborted);
            if (media is null)
            {
                await ProtocolResponses.WriteErrorAsync(http, OpenAIWireProtocol.Instance, ErrorInfo.NotFound("This file is no longer kept.", code: "file_expired"));
                return;
            }
            await using (media)
            {
                await Results.Stream(media.Content, media.ContentType, enableRangeProcessing: true).ExecuteAsync(http);
            }
        });
        return endpoints;
    }

    private static bool IsKey(string key)
    {
        try
        {
            MediaKeys.Validate(key);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
