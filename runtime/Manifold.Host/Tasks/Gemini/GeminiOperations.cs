using Manifold.Contracts.Gemini.Videos;
using Manifold.Contracts.OpenAI.Videos;

namespace Manifold.Host.Tasks.Gemini;

/// <summary>
/// A video job as Google's long-running operation: named <c>models/{model}/operations/{id}</c> (the id lowercase
/// alphanumeric), without <c>done</c> while it runs (with its progress in <c>metadata</c>), and once done with the
/// Gemini API's <c>generateVideoResponse</c> (a uri to <c>files/{id}:download</c>), Vertex AI's <c>videos</c> (the bytes
/// inline), or <c>error</c>. A video Veo's filters stopped is done with no sample and a filtered count, as Google answers it.
/// </summary>
internal static class GeminiOperations
{
    private const string GeminiResponseType = "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse";
    private const string VertexResponseType = "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse";

    public static string Name(string model, string jobId) => $"models/{model}/operations/{CompactTaskIds.Of(jobId)}";

    /// <summary>The job an operation name (<c>[…/]models/{model}/operations/{id}</c>, Gemini's or Vertex's) names; null when it names none.</summary>
    public static string? JobId(string? operationName)
    {
        if (string.IsNullOrEmpty(operationName))
        {
            return null;
        }
        var at = operationName.LastIndexOf("/operations/", StringComparison.Ordinal);
        return at < 0 ? null : CompactTaskIds.Parse(operationName[(at + "/operations/".Length)..]);
    }

    /// <summary>The download uri of a job's video, where the client reached the gateway.</summary>
    public static string FileUri(string publicBase, string jobId) => $"{publicBase}/v1beta/files/{CompactTaskIds.Of(jobId)}:download?alt=media";

    /// <summary>The Gemini API's operation; <paramref name="fileUri"/> is where a completed video is downloaded.</summary>
    public static VideoOperation Gemini(string model, MediaTask job, Video video, string fileUri)
    {
        var operation = Running(model, job, video);
        if (operation.Done != true)
        {
            return operation;
        }
        if (operation.Error is null)
        {
            operation.Response = Filtered(video) is { } filtered
                ? new VideoOperationResponse { Type = GeminiResponseType, GenerateVideoResponse = new GenerateVideoResponse { RaiMediaFilteredCount = 1, RaiMediaFilteredReasons = [filtered], GeneratedSamples = [] } }
                : new VideoOperationResponse
                {
                    Type = GeminiResponseType,
                    GenerateVideoResponse = new GenerateVideoResponse { GeneratedSamples = [new GeneratedSample { Video = new GoogleFile { Uri = fileUri, MimeType = "video/mp4" } }] },
                };
        }
        return operation;
    }

    /// <summary>Vertex AI's operation; <paramref name="video"/>'s bytes (base64) or, too large to inline, its uri.</summary>
    public static VideoOperation Vertex(string model, MediaTask job, Video video, GoogleMedia? result)
    {
        var operation = Running(model, job, video);
        if (operation.Done == true && operation.Error is null)
        {
            operation.Response = Filtered(video) is { } filtered
                ? new VideoOperationResponse { Type = VertexResponseType, RaiMediaFilteredCount = 1, RaiMediaFilteredReasons = [filtered], Videos = [] }
                : new VideoOperationResponse { Type = VertexResponseType, Videos = result is null ? [] : [result] };
        }
        return operation;
    }

    private static VideoOperation Running(string model, MediaTask job, Video video)
    {
        var operation = new VideoOperation { Name = Name(model, job.Id) };
        switch (video.Status)
        {
            case MediaTaskStatus.Completed:
                operation.Done = true;
                break;
            case MediaTaskStatus.Failed when Filtered(video) is null:
                operation.Done = true;
                operation.Error = Error(video.Error?.Code ?? job.ErrorCode, video.Error?.Message ?? job.ErrorMessage ?? "The video could not be generated.");
                break;
            case MediaTaskStatus.Failed:
                operation.Done = true;
                break;
            default:
                operation.Metadata = new VideoOperationMetadata
                {
                    ProgressPercent = video.Progress,
                    CreateTime = job.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                };
                break;
        }
        return operation;
    }

    /// <summary>Why a safety filter stopped the job, when one did (Google answers that as a done operation without samples).</summary>
    private static string? Filtered(Video video) =>
        video.Status == MediaTaskStatus.Failed && video.Error is { Code: "content_filtered" or "moderation_blocked" } error ? error.Message : null;

    /// <summary>A job's failure as a <c>google.rpc.Status</c>: the numeric code, the message, and the code's name.</summary>
    private static OperationError Error(string? code, string message)
    {
        var (number, name) = code switch
        {
            "timeout" => (4, "DEADLINE_EXCEEDED"),
            "invalid_request_error" or "invalid_value" or "invalid_prompt" => (3, "INVALID_ARGUMENT"),
            "platform_unavailable" or "account_unavailable" => (14, "UNAVAILABLE"),
            _ => (13, "INTERNAL"),
        };
        return new OperationError { Code = number, Message = code is null ? message : $"{message} ({code})", Status = name };
    }
}
