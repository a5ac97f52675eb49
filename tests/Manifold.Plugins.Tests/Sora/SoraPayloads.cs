namespace Manifold.Plugins.Tests.Sora;

/// <summary>
/// Answers of OpenAI's Videos API as documented (tests/schemas/openai/openapi.yaml: VideoResource, VideoListResource,
/// DeletedVideoResource, and the error bodies the API and the conformance suite's fake send).
/// </summary>
internal static class SoraPayloads
{
    /// <summary>A queued job as POST /videos answers it; <c>quality</c> is a field the spec does not model.</summary>
    public const string QueuedVideo = """
        {
          "id": "video_123",
          "object": "video",
          "model": "sora-2",
          "status": "queued",
          "progress": 0,
          "created_at": 1712697600,
          "completed_at": null,
          "expires_at": null,
          "prompt": "A calico cat playing a piano on stage",
          "size": "1024x1792",
          "seconds": "8",
          "remixed_from_video_id": null,
          "error": null,
          "quality": "standard"
        }
        """;

    /// <summary>A finished job: its assets can be downloaded until <c>expires_at</c>.</summary>
    public const string CompletedVideo = """
        {
          "id": "video_123",
          "object": "video",
          "model": "sora-2",
          "status": "completed",
          "progress": 100,
          "created_at": 1712697600,
          "completed_at": 1712697690,
          "expires_at": 1712784090,
          "prompt": "A calico cat playing a piano on stage",
          "size": "720x1280",
          "seconds": "8",
          "remixed_from_video_id": null,
          "error": null
        }
        """;

    /// <summary>A failed job; its error object has a field the spec does not model.</summary>
    public const string FailedVideo = """
        {
          "id": "video_456",
          "object": "video",
          "model": "sora-2-pro",
          "status": "failed",
          "progress": 50,
          "created_at": 1712697600,
          "completed_at": null,
          "expires_at": null,
          "prompt": "MODERATION",
          "size": "1792x1024",
          "seconds": "12",
          "remixed_from_video_id": null,
          "error": { "code": "moderation_blocked", "message": "Your request was blocked by our moderation system.", "x_detail": "kept" }
        }
        """;

    public const string RemixedVideo = """
        {
          "id": "video_789",
          "object": "video",
          "model": "sora-2",
          "status": "queued",
          "progress": 0,
          "created_at": 1712697700,
          "completed_at": null,
          "expires_at": null,
          "prompt": "Extend the scene with the cat taking a bow",
          "size": "720x1280",
          "seconds": "8",
          "remixed_from_video_id": "video_123",
          "error": null
        }
        """;

    public const string VideoList = """
        {
          "object": "list",
          "data": [
            {
              "id": "video_123",
              "object": "video",
              "model": "sora-2",
              "status": "completed",
              "progress": 100,
              "created_at": 1712697600,
              "completed_at": 1712697690,
              "expires_at": 1712784090,
              "prompt": "A calico cat playing a piano on stage",
              "size": "720x1280",
              "seconds": "8",
              "remixed_from_video_id": null,
              "error": null
            }
          ],
          "first_id": "video_123",
          "last_id": "video_123",
          "has_more": true,
          "x_page_note": "kept"
        }
        """;

    public const string DeletedVideo = """{ "id": "video_123", "object": "video.deleted", "deleted": true }""";

    public const string InvalidSecondsError = """
        {
          "error": {
            "message": "Invalid value: '5'. Supported values are: '4', '8', and '12'.",
            "type": "invalid_request_error",
            "param": "seconds",
            "code": "invalid_value"
          }
        }
        """;

    public const string InvalidSizeError = """
        {
          "error": {
            "message": "Invalid value: '1024x1792'. Supported values for sora-2 are: '720x1280' and '1280x720'.",
            "type": "invalid_request_error",
            "param": "size",
            "code": "invalid_value"
          }
        }
        """;

    public const string VideoNotFoundError = """
        {
          "error": {
            "message": "Video with id 'video_nope' not found.",
            "type": "invalid_request_error",
            "param": "video_id",
            "code": null
          }
        }
        """;

    public const string NotReadyError = """
        {
          "error": {
            "message": "Video is not ready yet, use GET /v1/videos/video_123 to check status.",
            "type": "invalid_request_error",
            "param": null,
            "code": null
          }
        }
        """;

    public const string OverloadedError = """
        {
          "error": {
            "message": "The server is overloaded or not ready yet.",
            "type": "server_error",
            "param": null,
            "code": null
          }
        }
        """;

    /// <summary>A 401 as an upstream that echoes the whole key (OpenAI masks it; a compatible service may not) would send it.</summary>
    public static string InvalidKeyError(string key) => $$"""
        {
          "error": {
            "message": "Incorrect API key provided: {{key}}. You can find your API key at https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "param": null,
            "code": "invalid_api_key"
          }
        }
        """;
}
