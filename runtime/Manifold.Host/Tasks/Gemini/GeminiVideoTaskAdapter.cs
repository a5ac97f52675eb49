using Manifold.Contracts;
using Manifold.Contracts.Gemini.Videos;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Platforms;

namespace Manifold.Host.Tasks.Gemini;

/// <summary>
/// Google's long-running video surface (Gemini API and Vertex AI) over Manifold's video jobs, on every video platform:
/// a request becomes an ordinary job through the Videos task layer (<see cref="Videos.VideoTaskAdapter"/>: the same
/// recording, polling, storage and metering as <c>POST /v1/videos</c>), and operations and files are views of that job.
/// </summary>
internal sealed class GeminiVideoTaskAdapter(MediaTasks tasks, PlatformEntry entry, MediaTask? task, long? licenceId, string publicBase) : IGeminiVideosAdapter
{
    /// <summary>
    /// Vertex answers a finished video inline, as base64 in JSON; past this size its uri is answered instead (which the SDK
    /// downloads from files/{id}:download). Inline costs about five times the video in transient memory (the bytes, the
    /// base64 string, the UTF-8 answer): 32 MiB keeps that near 160 MiB per poll while covering an 8 s 1080p video.
    /// </summary>
    internal const long InlineLimit = 32L * 1024 * 1024;

    private IVideosAdapter Videos(MediaTask? job) => tasks.Wrap<IVideosAdapter>(entry, job, licenceId, publicBase)!;

    public async Task<VideoOperation> PredictLongRunningAsync(string model, PredictLongRunningRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var create = GeminiVideoRequests.ToCreateVideo(model, request, entry.Settings.Plugin);
        Video video;
        try
        {
            video = await Videos(null).CreateVideoAsync(create, FileParts.None, context, cancellationToken).ConfigureAwait(false);
        }
        catch (ManifoldException ex) when (ex.StatusCode == 400 && GeminiVideoRequests.GoogleParam(ex.Param) is { } google && google != ex.Param)
        {
            // The platform refused an OpenAI field this request's Google field became: name the one the client sent.
            throw new ManifoldException(400, ex.Type, $"'{google}': {ex.Message}", google, ex.Code);
        }
        return new VideoOperation { Name = GeminiOperations.Name(model, video.Id) };
    }

    public async Task<VideoOperation> GetVideoOperationAsync(string model, string operation, AdapterContext context, CancellationToken cancellationToken)
    {
        var job = Job;
        var video = await Videos(job).RetrieveVideoAsync(job.Id, detail: false, context, cancellationToken).ConfigureAwait(false);
        return GeminiOperations.Gemini(model, job, video, GeminiOperations.FileUri(publicBase, job.Id));
    }

    public async Task<VideoOperation> FetchPredictOperationAsync(string model, FetchPredictOperationRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        // Routed by the model in the path; the job is the one the body names, and must be the caller's, on this platform.
        var job = GeminiOperations.JobId(request.OperationName) is { } id ? await tasks.Store.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (job is null || job.Kind != MediaKinds.Video || job.LicenceId != licenceId || job.Platform != entry.Name)
        {
            throw new ManifoldException(404, "not_found", $"Operation '{request.OperationName}' was not found.", "operationName", "NOT_FOUND");
        }
        // Read through with the account that made the job, as a read routed by its id would.
        var pinned = new AdapterContext(context.Platform, job.AccountId is { } account ? entry.FindAccount(account) : null, context.RequestId);
        var videos = Videos(job);
        var video = await videos.RetrieveVideoAsync(job.Id, detail: false, pinned, cancellationToken).ConfigureAwait(false);
        GoogleMedia? result = null;
        if (video.Status == MediaTaskStatus.Completed)
        {
            await using var content = await videos.RetrieveVideoContentAsync(job.Id, "video", pinned, cancellationToken).ConfigureAwait(false);
            result = content.Length is { } length && length <= InlineLimit
                ? new GoogleMedia { BytesBase64Encoded = await Base64Async(content.Content, length, cancellationToken).ConfigureAwait(false), MimeType = content.ContentType }
                : new GoogleMedia { GcsUri = GeminiOperations.FileUri(publicBase, job.Id), MimeType = content.ContentType };
        }
        return GeminiOperations.Vertex(model, job, video, result);
    }

    public Task<BinaryContent> DownloadFileAsync(string file, string alt, AdapterContext context, CancellationToken cancellationToken)
    {
        if (alt != "media")
        {
            throw new ManifoldException(400, "invalid_request_error", $"'alt' must be media (the file's bytes), not '{alt}'.", "alt", "INVALID_ARGUMENT");
        }
        var job = Job;
        return Videos(job).RetrieveVideoContentAsync(job.Id, "video", context, cancellationToken);
    }

    private MediaTask Job => task ?? throw new InvalidOperationException("This call needs the job its id names.");

    private static async Task<string> Base64Async(Stream content, long length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        await content.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return Convert.ToBase64String(bytes);
    }
}
